// The message field, the attach button and Send. Enter sends, Shift+Enter starts a new line; the draft
// is cleared only once the message was sent.

import { useSignal } from "@preact/signals";
import { AttachButton } from "./AttachButton";
import type { Translator } from "./i18n/translator";
import { MAX_MESSAGE_CHARS } from "../policy/limits";

export interface ComposerProps {
  busy: boolean;
  t: Translator;
  /** Resolves true once the message is sent. */
  onSend(text: string): Promise<boolean>;
  /** The visitor typed something: the agent may be told (the chat throttles it). */
  onTyping(): void;
  onAttach(file: File): void;
}

/** The form under the transcript; `busy` disables sending while a message or file is on its way. */
export function Composer({ busy, t, onSend, onTyping, onAttach }: ComposerProps) {
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
        {t.text("composer.label")}
      </label>
      <textarea
        id="hatch-message"
        class="field"
        data-autofocus
        rows={2}
        maxLength={MAX_MESSAGE_CHARS}
        placeholder={t.text("composer.placeholder")}
        value={draft.value}
        onInput={(event) => {
          draft.value = event.currentTarget.value;
          if (draft.value.trim() !== "") onTyping();
        }}
        onKeyDown={(event) => {
          if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
          event.preventDefault();
          void submit();
        }}
      />
      <AttachButton disabled={busy} label={t.text("composer.attach")} onFile={onAttach} />
      <button type="submit" class="send" disabled={busy}>
        {t.text("composer.send")}
      </button>
    </form>
  );
}
