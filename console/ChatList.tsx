// One list of chats (requests, active or closed) with links to open them; closed ones can be narrowed to spam.

import { maskedText } from "../policy/screened-text";
import type { ChatsModel, SpamFilter } from "./models/chats-model";
import { Notice } from "./Notice";
import { hrefOf } from "./router";
import type { ChatStatus, ConversationSummary } from "./types";

const TITLES: Record<ChatStatus, string> = { pending: "Requests", active: "Active", closed: "Closed" };
const EMPTY: Record<ChatStatus, string> = {
  pending: "No one is waiting. New requests appear here, and in the tab title.",
  active: "No active chats: accept a request to start one.",
  closed: "No closed chats yet.",
};

const SPAM_CHOICES: [SpamFilter, string][] = [
  [undefined, "All closed chats"],
  [true, "Closed as spam"],
  [false, "Not spam"],
];

/** Narrows the closed chats; an option's value is the `spam` query parameter, empty for all. */
function SpamChoice({ chats }: { chats: ChatsModel }) {
  return (
    <div class="field">
      <label for="closed-spam">Show</label>
      <select
        id="closed-spam"
        value={String(chats.spamFilter.value ?? "")}
        onChange={(event) => {
          const value = event.currentTarget.value;
          void chats.filterClosed(value === "" ? undefined : value === "true");
        }}
      >
        {SPAM_CHOICES.map(([spam, text]) => (
          <option key={text} value={String(spam ?? "")}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ChatList({
  status,
  items,
  chats,
  openId,
}: {
  status: ChatStatus;
  items: ConversationSummary[];
  chats: ChatsModel;
  openId: string | null;
}) {
  // An accepted request is one the agent is about to answer: open it.
  const accept = async (id: string) => {
    if (await chats.accept(id)) location.hash = hrefOf({ page: "chats", id });
  };
  return (
    <section class="chat-list" aria-labelledby={`list-${status}`}>
      <h2 id={`list-${status}`}>
        {TITLES[status]} <span class="count">{items.length}</span>
      </h2>
      {status === "closed" && <SpamChoice chats={chats} />}
      {items.length === 0 ? (
        <Notice kind="empty">
          {status === "closed" && chats.spamFilter.value !== undefined ? "No closed chats match." : EMPTY[status]}
        </Notice>
      ) : (
        <ul>
          {items.map((c) => (
            <li key={c.id} class={c.id === openId ? "current" : undefined}>
              <a href={`#/chats/${encodeURIComponent(c.id)}`} aria-current={c.id === openId ? "page" : undefined}>
                {c.visitorName ? (
                  <>
                    <strong>{c.visitorName}</strong> <span class="muted">{c.visitorIp}</span>
                  </>
                ) : (
                  <strong>{c.visitorIp}</strong>
                )}{" "}
                <span class="muted">{new Date(c.createdAt).toLocaleTimeString()}</span>
                {c.closedReason === "spam" && <span class="muted"> · closed as spam</span>}
                {c.offline && <span class="tag">Offline message</span>}
                {chats.typing.has(c.id) && <span class="typing-mark"> · typing…</span>}
                <span class="preview">
                  {c.lastMessage
                    ? `${c.lastMessage.author === "note" ? "Note: " : ""}${maskedText(c.lastMessage.text, c.lastMessage.screening) || c.lastMessage.file?.name}`
                    : c.page}
                </span>
              </a>
              {status === "pending" && (
                <span class="row-actions">
                  <button type="button" onClick={() => void accept(c.id)}>
                    Accept
                  </button>
                  <button type="button" class="secondary" onClick={() => void chats.ignore(c.id)}>
                    Ignore
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
