// Live Chat Window (owners): the widget's language, the file policy and the snippet to paste.

import { useState } from "preact/hooks";
import { FilePolicyEditor } from "./FilePolicyEditor";
import { LanguageField } from "./LanguageField";
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
          <LanguageField
            value={doc.window?.language}
            onChange={(language) => policy.edit("window", language ? { ...doc.window, language } : {})}
          />
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
