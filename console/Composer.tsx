// The answer box: multi-line (Enter sends, Shift+Enter breaks the line), "/" offers the account's
// canned replies, narrowed as the agent types, picked with the arrows and Enter or by a click;
// "Add as note" keeps the text as an internal note the visitor never sees; the paperclip sends a file,
// which the server judges as it judges a visitor's, its refusal shown where a refused answer's is.

import { useEffect, useRef, useState } from "preact/hooks";
import type { Api } from "./api";
import type { ConversationModel } from "./models/conversation-model";
import { matchingReplies } from "./reply-match";
import type { CannedReply } from "./types";

/** Not while an input method is composing (Japanese, Chinese): there Enter picks the candidate. */
const isPlainEnter = (event: KeyboardEvent) => event.key === "Enter" && !event.shiftKey && !event.isComposing;

export function Composer({ chat, api }: { chat: ConversationModel; api: Api }) {
  const [replies, setReplies] = useState<CannedReply[]>([]);
  const [highlight, setHighlight] = useState(0);
  // Escape closes the list for the draft as it is; typing on opens it again.
  const [dismissed, setDismissed] = useState<string | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // Without the list the box is a plain answer box: nothing to tell the agent.
    api.replies().then(setReplies, () => undefined);
  }, [api]);
  const draft = chat.draft.value;
  const offered = dismissed === draft ? [] : matchingReplies(replies, draft);
  const current = Math.min(highlight, offered.length - 1);
  const error = chat.sendErrors.value.fields.text ?? chat.sendErrors.value.message ?? undefined;
  const choose = (reply: CannedReply) => {
    chat.draft.value = reply.text;
    setHighlight(0);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (offered.length > 0) {
      const step = event.key === "ArrowDown" ? 1 : event.key === "ArrowUp" ? -1 : 0;
      if (step !== 0) {
        event.preventDefault();
        setHighlight((current + step + offered.length) % offered.length);
        return;
      }
      if (isPlainEnter(event) || event.key === "Tab") {
        event.preventDefault();
        choose(offered[current]!);
        return;
      }
      if (event.key === "Escape") return void setDismissed(draft);
    }
    if (!isPlainEnter(event)) return;
    event.preventDefault();
    (event.currentTarget as HTMLTextAreaElement).form?.requestSubmit();
  };
  const described = ["answer-hint", error ? "answer-error" : ""].filter(Boolean).join(" ");
  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void chat.send();
      }}
    >
      <div class="field">
        <label for="answer">Your answer</label>
        <textarea
          id="answer"
          name="answer"
          rows={2}
          spellcheck
          value={draft}
          aria-autocomplete="list"
          aria-controls="canned-replies"
          aria-activedescendant={offered.length > 0 ? `canned-reply-${current}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={described}
          onKeyDown={onKeyDown}
          onInput={(event) => {
            chat.draft.value = event.currentTarget.value;
            setHighlight(0);
            chat.typed();
          }}
        />
        <ul
          id="canned-replies"
          role="listbox"
          aria-label="Canned replies"
          class="canned-replies"
          hidden={!offered.length}
        >
          {offered.map((reply, index) => (
            <li
              key={reply.id}
              id={`canned-reply-${index}`}
              role="option"
              aria-selected={index === current}
              // Keeps the focus in the answer box, where typing goes on.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(reply)}
            >
              <code>/{reply.shortcut}</code> <span class="muted">{reply.text}</span>
            </li>
          ))}
        </ul>
        <p class="hint" id="answer-hint">
          Enter sends; Shift+Enter starts a new line; “/” inserts a canned reply. A note stays with your team.
        </p>
        {error && (
          // An alert: a refused file comes back while the focus is on the paperclip, not here.
          <p class="error" id="answer-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div class="composer-actions">
        <button type="submit" disabled={chat.busy.value}>
          Send
        </button>
        <button type="button" class="secondary" disabled={chat.busy.value} onClick={() => void chat.send(true)}>
          Add as note
        </button>
        <button
          type="button"
          class="secondary attach"
          disabled={chat.busy.value}
          onClick={() => picker.current?.click()}
        >
          <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
            <path
              d="M16.5 6.5l-7.8 7.8a1.8 1.8 0 0 0 2.5 2.5l8-8a3.5 3.5 0 0 0-5-5l-8.2 8.2a5.2 5.2 0 0 0 7.4 7.4l7.1-7.1"
              stroke="currentColor"
              stroke-width="2"
              stroke-linecap="round"
              fill="none"
            />
          </svg>{" "}
          Attach a file
        </button>
        {/* Opened by the button above, which is what the keyboard and screen readers reach. */}
        <input
          ref={picker}
          type="file"
          hidden
          onChange={(event) => {
            const input = event.currentTarget;
            const file = input.files?.[0];
            // Cleared so that choosing the same file again is a change too.
            input.value = "";
            if (file) void chat.attach(file);
          }}
        />
      </div>
    </form>
  );
}
