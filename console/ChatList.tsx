// One list of chats (requests, active or closed) with links to open them.

import type { ChatsModel } from "./models/chats-model";
import { Notice } from "./Notice";
import { hrefOf } from "./router";
import type { ChatStatus, ConversationSummary } from "./types";

const TITLES: Record<ChatStatus, string> = { pending: "Requests", active: "Active", closed: "Closed" };
const EMPTY: Record<ChatStatus, string> = {
  pending: "No one is waiting. New requests appear here, and in the tab title.",
  active: "No active chats: accept a request to start one.",
  closed: "No closed chats yet.",
};

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
      {items.length === 0 ? (
        <Notice kind="empty">{EMPTY[status]}</Notice>
      ) : (
        <ul>
          {items.map((c) => (
            <li key={c.id} class={c.id === openId ? "current" : undefined}>
              <a href={`#/chats/${encodeURIComponent(c.id)}`} aria-current={c.id === openId ? "page" : undefined}>
                <strong>{c.visitorIp}</strong> <span class="muted">{new Date(c.createdAt).toLocaleTimeString()}</span>
                <span class="preview">{c.lastMessage ? c.lastMessage.text || c.lastMessage.file?.name : c.page}</span>
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
