// One message in a chat: who (for an agent's, which agent), when, the text, and its file.

import { agentLabel, type EmailOf } from "./agent-label";
import { FilePreview } from "./FilePreview";
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
}: {
  message: Message;
  showPreviews: boolean;
  fileUrl(id: string): string;
  emailOf: EmailOf;
}) {
  return (
    <li class={`message message-${message.author}`}>
      <span class="message-meta">
        <span class="message-author">{authorOf(message, emailOf)}</span> ·{" "}
        {new Date(message.createdAt).toLocaleTimeString()}
      </span>
      {message.text && <p>{message.text}</p>}
      {message.file && <FilePreview file={message.file} show={showPreviews} url={fileUrl(message.file.id)} />}
    </li>
  );
}
