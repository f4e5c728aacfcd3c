// One message in a chat: who, when, the text, and its file.

import { FilePreview } from "./FilePreview";
import type { Message } from "./types";

export function MessageItem({
  message,
  showPreviews,
  fileUrl,
}: {
  message: Message;
  showPreviews: boolean;
  fileUrl(id: string): string;
}) {
  return (
    <li class={`message message-${message.author}`}>
      <span class="message-meta">
        {message.author === "visitor" ? "Visitor" : message.author === "agent" ? "Agent" : "Hatch"} ·{" "}
        {new Date(message.createdAt).toLocaleTimeString()}
      </span>
      {message.text && <p>{message.text}</p>}
      {message.file && <FilePreview file={message.file} show={showPreviews} url={fileUrl(message.file.id)} />}
    </li>
  );
}
