// The open chat: toolbar (who took it, what the visitor told before the chat, previews, block, close,
// close as spam), messages with who wrote them, whether the visitor is typing, and the answer box
// (Composer.tsx).

import { useEffect, useRef, useState } from "preact/hooks";
import { agentLabel, type EmailOf } from "./agent-label";
import type { Api } from "./api";
import { countryName } from "../policy/country";
import { BlockVisitorForm } from "./BlockVisitorForm";
import { Composer } from "./Composer";
import { MessageItem } from "./MessageItem";
import type { ConversationModel } from "./models/conversation-model";
import { Notice } from "./Notice";
import { TransferForm } from "./TransferForm";
import { VisitorData } from "./VisitorData";
import { VisitorIntake } from "./VisitorIntake";

/** "This chat is closed (blocked).", or for spam the words the list filters by. */
function closedText(reason: string | null): string {
  if (reason === "spam") return "This chat is closed as spam.";
  return `This chat is closed${reason ? ` (${reason})` : ""}.`;
}

interface Props {
  chat: ConversationModel;
  api: Api;
  /** Whether the visitor is typing now (the feed's typing events, models/typing-model.ts). */
  visitorTyping: boolean;
  emailOf: EmailOf;
  mailsAnswers: boolean;
  /** Owners answer a visitor's data requests from their chat: export, erase. */
  isOwner: boolean;
  /** The visitor's data was erased from here: the chat is gone. */
  onErased(): void;
}

export function ChatView({ chat, api, visitorTyping, emailOf, mailsAnswers, isOwner, onErased }: Props) {
  const [blocking, setBlocking] = useState(false);
  const [passing, setPassing] = useState(false);
  const end = useRef<HTMLLIElement>(null);
  const held = chat.messages.value.filter((message) => message.held);
  const inChat = chat.messages.value.filter((message) => !message.held);
  const count = inChat.length;
  useEffect(() => end.current?.scrollIntoView?.({ block: "end" }), [count]);

  if (chat.state.value === "loading") return <Notice kind="loading">Loading the chat…</Notice>;
  const conversation = chat.conversation.value;
  if (chat.state.value === "error" || !conversation)
    return <Notice kind="error">{chat.loadError.value ?? "This chat could not be loaded."}</Notice>;
  const previews = chat.previews.value;
  const visitorAs = chat.visitorAs.value;
  const open = conversation.status !== "closed";
  // The chat follows the visitor to each new address; the earlier ones are listed for the record.
  const earlier = conversation.visitorAddresses.filter((seen) => seen.ip !== conversation.visitorIp);
  const takenBy = conversation.agentUserId;
  return (
    <section class="chat" aria-label="Chat">
      <header class="toolbar">
        <div>
          <strong>{conversation.visitorIp}</strong>
          {" · "}
          {conversation.visitorCountry ? countryName(conversation.visitorCountry) : "country unknown"}
          {visitorAs && ` · AS${visitorAs.asn} ${visitorAs.name}`}
          {" · "}
          <span class="muted">{conversation.page}</span>
          <VisitorIntake conversation={conversation} mailsAnswers={mailsAnswers} />
          <p class="muted visitor-id">Visitor id {conversation.visitorId}</p>
          {isOwner && <VisitorData api={api} visitorId={conversation.visitorId} onErased={onErased} />}
          {takenBy !== null && (
            <p class="taken-by">Taken by {agentLabel(conversation.agentName, emailOf(takenBy)) ?? "a co-worker"}</p>
          )}
          {earlier.length > 0 && (
            <p class="muted earlier-addresses">
              Earlier in this chat from{" "}
              {earlier
                .map((seen) => `${seen.ip} (${seen.country ? countryName(seen.country) : "country unknown"})`)
                .join(", ")}
            </p>
          )}
        </div>
        <div class="toolbar-actions">
          <button type="button" class="secondary" onClick={() => void chat.setPreviews(!previews.show)}>
            {previews.show ? "Hide image previews" : "Show image previews"}
          </button>
          {previews.override !== null && (
            <button type="button" class="link" onClick={() => void chat.setPreviews(null)}>
              Use my default
            </button>
          )}
          {conversation.status === "pending" && (
            <button type="button" onClick={() => void chat.accept()}>
              Accept
            </button>
          )}
          {conversation.status === "active" && (
            <button type="button" class="secondary" onClick={() => setPassing(!passing)} aria-expanded={passing}>
              Pass to…
            </button>
          )}
          {open && (
            <button type="button" class="secondary" onClick={() => setBlocking(!blocking)} aria-expanded={blocking}>
              Block visitor…
            </button>
          )}
          {open && (
            <button type="button" class="secondary" onClick={() => void chat.close()}>
              {conversation.status === "pending" ? "Ignore" : "Close chat"}
            </button>
          )}
          {open && (
            <button type="button" class="secondary" onClick={() => void chat.close(true)}>
              Close as spam
            </button>
          )}
        </div>
      </header>
      {chat.actionError.value && <Notice kind="error">{chat.actionError.value}</Notice>}
      {passing && conversation.status === "active" && (
        <TransferForm api={api} chat={chat} onDone={() => setPassing(false)} />
      )}
      {(blocking || chat.blocked.value) && (
        <BlockVisitorForm chat={chat} ip={conversation.visitorIp} visitorAs={visitorAs} />
      )}
      {held.length > 0 && (
        <section class="held" aria-label="Held messages">
          <h3>Held ({held.length})</h3>
          <p class="muted">Screening kept these from the chat. Release one to add it to the chat for everyone.</p>
          <ol class="messages">
            {held.map((message) => (
              <MessageItem
                key={message.id}
                message={message}
                showPreviews={false}
                fileUrl={api.fileUrl}
                emailOf={emailOf}
                reveal={() => chat.reveal(message.id)}
                release={() => void chat.release(message.id)}
              />
            ))}
          </ol>
        </section>
      )}
      {count === 0 ? (
        <Notice kind="empty">No messages yet.</Notice>
      ) : (
        // Focusable, so a keyboard can scroll it: it scrolls on its own when the forms above take the room.
        <ol class="messages" aria-live="polite" aria-label="Messages" tabIndex={0}>
          {inChat.map((message) => (
            <MessageItem
              key={message.id}
              message={message}
              showPreviews={previews.show}
              fileUrl={api.fileUrl}
              emailOf={emailOf}
              reveal={() => chat.reveal(message.id)}
            />
          ))}
          <li ref={end} class="sr-only">
            End of messages
          </li>
        </ol>
      )}
      {open && (
        // Always there while the chat is open, so screen readers know the region before it speaks; the
        // text stays the same while the visitor keeps typing, so it is said once, not at every event.
        <p class="typing-status muted" role="status" aria-live="polite">
          {visitorTyping ? "The visitor is typing…" : ""}
        </p>
      )}
      {conversation.status === "active" && <Composer chat={chat} api={api} />}
      {conversation.status === "pending" && <Notice kind="empty">Accept this request to answer it.</Notice>}
      {conversation.status === "closed" && <Notice kind="empty">{closedText(conversation.closedReason)}</Notice>}
    </section>
  );
}
