// The message field, the attach button and Send. Enter sends, Shift+Enter starts a new line; the draft
// is cleared only once the message was sent.

import { useSignal } from "@preact/signals";
import { AttachButton } from "./AttachButton";
import { MAX_MESSAGE_CHARS } from "../policy/chat";

export interface ComposerProps {
  busy: boolean;
  /** Resolves true once the message is sent. */
  onSend(text: string): Promise<boolean>;
  onAttach(file: File): void;
}

/** The form under the transcript; `busy` disables sending while a message or file is on its way. */
export function Composer({ busy, onSend, onAttach }: ComposerProps) {
  const draft = useSignal("");
  const submit = async () => {
    const text = draft.value;
    if ((await onSend(text)) && draft.value === text) draft.value = "";
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label class="sr" for="hatch-message">
        Message
      </label>
      <textarea
        id="hatch-message"
        class="field"
        data-autofocus
        rows={2}
        maxLength={MAX_MESSAGE_CHARS}
        placeholder="Write a message…"
        value={draft.value}
        onInput={(event) => (draft.value = event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
          event.preventDefault();
          void submit();
        }}
      />
      <AttachButton disabled={busy} onFile={onAttach} />
      <button type="submit" class="send" disabled={busy}>
        Send
      </button>
    </form>
  );
}
