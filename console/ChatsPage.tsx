// Chats: the queue, active and closed lists beside the open chat. On a phone the two are two views: the
// lists, or the open chat with a way back to them (console.css, `.has-open`).

import { useEffect, useMemo } from "preact/hooks";
import type { EmailOf } from "./agent-label";
import type { Api } from "./api";
import { ChatList } from "./ChatList";
import { ChatView } from "./ChatView";
import type { Listen } from "./events";
import type { ChatsModel } from "./models/chats-model";
import { createConversationModel } from "./models/conversation-model";
import type { Notifier } from "./notifier";
import { Notice } from "./Notice";

interface Props {
  api: Api;
  chats: ChatsModel;
  openId: string | null;
  notifier: Notifier;
  /** Registers a listener on the event feed; returns the unsubscribe. */
  listen: Listen;
  /** A co-worker's email by their user id, when this console knows it: beside their messages. */
  emailOf: EmailOf;
  /** Whether the server mails an offline message's answer to the visitor who left an address (SMTP_URL). */
  mailsAnswers: boolean;
  isOwner: boolean;
  /** Opens the lists alone: the open chat is gone. */
  closeChat(): void;
}

export function ChatsPage({ api, chats, openId, notifier, listen, emailOf, mailsAnswers, isOwner, closeChat }: Props) {
  const chat = useMemo(() => (openId ? createConversationModel(api, openId) : null), [api, openId]);
  useEffect(() => {
    if (!chat) return;
    void chat.load();
    return listen(chat.handleEvent);
  }, [chat, listen]);

  return (
    <main class={chat ? "chats has-open" : "chats"}>
      <h1 class="sr-only">Chats</h1>
      <nav class="chat-lists" aria-label="Chats">
        {notifier.permission.value === "default" && (
          <button type="button" class="secondary" onClick={() => void notifier.ask()}>
            Notify me of new requests
          </button>
        )}
        {chats.actionError.value && <Notice kind="error">{chats.actionError.value}</Notice>}
        {chats.state.value === "error" && <Notice kind="error">{chats.loadError.value}</Notice>}
        {chats.state.value === "loading" ? (
          <Notice kind="loading">Loading chats…</Notice>
        ) : (
          <>
            <ChatList status="pending" items={chats.lists.pending.value} chats={chats} openId={openId} />
            <ChatList status="active" items={chats.lists.active.value} chats={chats} openId={openId} />
            <ChatList status="closed" items={chats.lists.closed.value} chats={chats} openId={openId} />
          </>
        )}
      </nav>
      <div class="chat-pane">
        {chat && chats.erasedIds.value.has(chat.id) ? (
          <Notice kind="empty">This chat was erased with everything else of its visitor.</Notice>
        ) : chat ? (
          <>
            <a class="back-to-list" href="#/chats">
              ← All chats
            </a>
            <ChatView
              key={chat.id}
              chat={chat}
              api={api}
              visitorTyping={chats.typing.has(chat.id)}
              emailOf={emailOf}
              mailsAnswers={mailsAnswers}
              isOwner={isOwner}
              onErased={closeChat}
            />
          </>
        ) : (
          <Notice kind="empty">Pick a chat from the list, or accept a request.</Notice>
        )}
      </div>
    </main>
  );
}
