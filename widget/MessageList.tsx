// The transcript: a polite live log, so that screen readers read new messages as they arrive.
// It keeps the newest line in view. The owner's greeting opens it as the team's first bubble: drawn
// from the verdict's config on every visit, never a stored message.

import { useLayoutEffect, useRef } from "preact/hooks";
import type { ChatFile } from "./api";
import type { Translator } from "./i18n/translator";
import { MessageBubble } from "./MessageBubble";
import type { LogItem } from "./visitor-chat";

/** The `role="log"` of the greeting, then messages and notices, oldest first. */
export function MessageList({
  items,
  greeting,
  t,
  onDownload,
  avatarOf,
}: {
  items: readonly LogItem[];
  greeting?: string | undefined;
  t: Translator;
  /** Saves an agent's file. */
  onDownload(file: ChatFile): void;
  /** The URL of an avatar's file id. */
  avatarOf(fileId: string): string;
}) {
  const log = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [items.length]);

  return (
    // Focusable, so that a keyboard can scroll it.
    <div ref={log} class="log" role="log" aria-live="polite" aria-label={t.text("log.label")} tabIndex={0}>
      {greeting && (
        <div class="message agent">
          <span class="sr">{t.text("author.agent")}: </span>
          <p class="text" dir="auto">
            {greeting}
          </p>
        </div>
      )}
      {items.map((item) =>
        item.type === "notice" ? (
          <p key={item.key} class="notice">
            {item.text}
          </p>
        ) : (
          <MessageBubble key={item.key} message={item.message} t={t} onDownload={onDownload} avatarOf={avatarOf} />
        ),
      )}
    </div>
  );
}
