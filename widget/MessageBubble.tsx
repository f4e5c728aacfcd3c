// One message of the transcript: the visitor's at the end of the line (the right, or the left right to
// left), the agent's at the start, a file as its name and size. Who wrote it is spoken, not shown.

import type { ChatMessage } from "./api";
import type { Translator } from "./i18n/translator";

/**
 * A message, prefixed for screen readers with who wrote it. The text takes its own direction from its
 * first letters (an English message in an Arabic widget reads left to right); a file name is isolated.
 */
export function MessageBubble({ message, t }: { message: ChatMessage; t: Translator }) {
  return (
    <div class={`message ${message.author}`}>
      <span class="sr">{t.text(`author.${message.author}`)}: </span>
      {message.text && (
        <p class="text" dir="auto">
          {message.text}
        </p>
      )}
      {message.file && (
        <span class="file">
          <bdi>{message.file.name}</bdi> <span class="size">({t.size(message.file.size)})</span>
        </span>
      )}
    </div>
  );
}
