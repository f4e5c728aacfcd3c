// One message in a chat: who (for an agent's, which agent), when, the text (as screening left it),
// its file, and for a held message who released it.

import { agentLabel, type EmailOf } from "./agent-label";
import { FilePreview } from "./FilePreview";
import { MessageText } from "./MessageText";
import type { Message } from "./types";

/** Who wrote a message, as co-workers read it. */
function authorOf(message: Message, emailOf: EmailOf): string {
  if (message.author === "visitor") return "Visitor";
  if (message.author === "system") return "Hatch";
  const agent =
    agentLabel(message.agentName, message.userId === null ? null : emailOf(message.userId)) ?? "A co-worker";
  if (message.author === "note") return `Note by ${agent}, not shown to the visitor`;
  return agent;
}

export function MessageItem({
  message,
  showPreviews,
  fileUrl,
  emailOf,
  reveal,
  release,
}: {
  message: Message;
  showPreviews: boolean;
  fileUrl(id: string): string;
  emailOf: EmailOf;
  /** Asks the server to record that the agent shows the message's masked words. */
  reveal(): Promise<boolean>;
  /** For a held message: releases it into the chat. */
  release?: () => void;
}) {
  return (
    <li class={`message message-${message.author}`}>
      <span class="message-meta">
        <span class="message-author">{authorOf(message, emailOf)}</span> ·{" "}
        {new Date(message.createdAt).toLocaleTimeString()}
      </span>
      {message.text && <MessageText message={message} reveal={reveal} />}
      {message.file && <FilePreview file={message.file} show={showPreviews} url={fileUrl(message.file.id)} />}
      {message.released && <span class="message-meta">Held by screening, released by {message.released.by}</span>}
      {release && (
        <button type="button" class="secondary" onClick={release}>
          Release into the chat
        </button>
      )}
    </li>
  );
}
