// One message of the transcript: the visitor's on the right, the agent's on the left, a file as its
// name and size. Who wrote it is spoken, not shown.

import type { ChatMessage } from "./api";
import { formatBytes } from "../policy/file-messages";

const AUTHOR: Record<ChatMessage["author"], string> = { visitor: "You", agent: "Agent", system: "Chat" };

/** A message, prefixed for screen readers with who wrote it. */
export function MessageBubble({ message }: { message: ChatMessage }) {
  return (
    <div class={`message ${message.author}`}>
      <span class="sr">{AUTHOR[message.author]}: </span>
      {message.text}
      {message.file && (
        <span class="file">
          {message.file.name} <span class="size">({formatBytes(message.file.size)})</span>
        </span>
      )}
    </div>
  );
}
