// One message of the transcript: the visitor's at the end of the line (the right, or the left right to
// left), the agent's at the start under the name they chose, a file as its name and size (an agent's
// with a Download button), and when it was written. Who wrote it is spoken before it; an agent's name
// is shown too.

import type { ChatFile, ChatMessage } from "./api";
import type { Translator } from "./i18n/translator";

/**
 * A message, prefixed with who wrote it: the agent's display name, or for screen readers only, "You",
 * "Agent" (no name set) or "Chat". The text takes its own direction from its first letters (an English
 * message in an Arabic widget reads left to right); a name is isolated.
 */
export function MessageBubble({
  message,
  t,
  onDownload,
  avatarOf,
}: {
  message: ChatMessage;
  t: Translator;
  onDownload(file: ChatFile): void;
  avatarOf(fileId: string): string;
}) {
  const name = message.author === "agent" ? message.agentName : null;
  const avatar = message.author === "agent" ? message.agentAvatar : null;
  const file = message.file;
  const fileName = `hatch-file-${message.id}`;
  return (
    <div class={`message ${message.author}`}>
      {/* Decorative: the name (or "Agent" for screen readers) already says who wrote it. */}
      {avatar && <img class="avatar" src={avatarOf(avatar)} alt="" width={32} height={32} />}
      {name ? (
        <p class="name">
          <bdi>{name}</bdi>
          <span class="sr">: </span>
        </p>
      ) : (
        <span class="sr">{t.text(`author.${message.author}`)}: </span>
      )}
      {message.text && (
        <p class="text" dir="auto">
          {message.text}
        </p>
      )}
      {file && (
        <span class="file">
          <bdi id={fileName}>{file.name}</bdi> <span class="size">({t.size(file.size)})</span>
        </span>
      )}
      {/* The visitor has their own files; an agent's they can only get here. */}
      {file && message.author === "agent" && (
        <button type="button" class="download" aria-describedby={fileName} onClick={() => onDownload(file)}>
          {t.text("file.download")}
        </button>
      )}
      <time class="time" dateTime={message.createdAt}>
        {t.time(message.createdAt)}
      </time>
    </div>
  );
}
