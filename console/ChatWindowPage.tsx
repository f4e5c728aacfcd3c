// Live Chat Window (owners): the file policy and the snippet to paste.

import { useState } from "preact/hooks";
import { FilePolicyEditor } from "./FilePolicyEditor";
import type { PolicyModel } from "./models/policy-model";
import { Notice } from "./Notice";
import { SaveBar } from "./SaveBar";
import { Snippet } from "./Snippet";

export function ChatWindowPage({ policy, account, origin }: { policy: PolicyModel; account: string; origin: string }) {
  const [sizeValid, setSizeValid] = useState(true);
  const doc = policy.draft.value;
  return (
    <main class="page">
      <h1>Live Chat Window</h1>
      <Snippet origin={origin} account={account} />
      {policy.state.value === "loading" && <Notice kind="loading">Loading settings…</Notice>}
      {policy.state.value === "error" && <Notice kind="error">{policy.loadError.value}</Notice>}
      {doc && (
        <form
          class="policy-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (sizeValid) void policy.save();
          }}
        >
          <FilePolicyEditor
            value={doc.files}
            onChange={(files) => policy.edit("files", files)}
            onSizeValid={setSizeValid}
          />
          <SaveBar policy={policy} blocked={!sizeValid} />
        </form>
      )}
    </main>
  );
}
