// "Block this visitor": their address or their network, with a comment; then the rule that was made.

import { useState } from "preact/hooks";
import type { ConversationModel } from "./models/conversation-model";
import { Notice } from "./Notice";
import { TextField } from "./TextField";

export function BlockVisitorForm({ chat, ip }: { chat: ConversationModel; ip: string }) {
  const [scope, setScope] = useState<"address" | "network">("address");
  const [comment, setComment] = useState("");
  const blocked = chat.blocked.value;
  const { fields, message } = chat.blockErrors.value;
  if (blocked) {
    return (
      <Notice kind="ok">
        {blocked.created ? "Blocked" : "Already blocked by"} <code>{blocked.rule.network}</code>: this visitor no longer
        sees the chat. <a href="#/block">See IP rules</a>
      </Notice>
    );
  }
  const network = ip.includes(":") ? "/64" : "/24";
  return (
    <form
      class="block-form"
      onSubmit={(event) => {
        event.preventDefault();
        void chat.block(scope, comment);
      }}
    >
      <fieldset>
        <legend>Block this visitor</legend>
        <label>
          <input type="radio" name="scope" checked={scope === "address"} onChange={() => setScope("address")} /> This
          address ({ip})
        </label>
        <label>
          <input type="radio" name="scope" checked={scope === "network"} onChange={() => setScope("network")} /> Their
          network ({network})
        </label>
        {fields.scope && <p class="error">{fields.scope}</p>}
      </fieldset>
      <TextField
        id="block-comment"
        label="Comment"
        value={comment}
        onInput={setComment}
        error={fields.comment}
        hint="Why, for whoever reads the rule later."
      />
      {message && <Notice kind="error">{message}</Notice>}
      <button type="submit" class="danger">
        Block and close chat
      </button>
    </form>
  );
}
