// The transcript: a polite live log, so that screen readers read new messages as they arrive.
// It keeps the newest line in view.

import { useLayoutEffect, useRef } from "preact/hooks";
import type { Translator } from "./i18n/translator";
import { MessageBubble } from "./MessageBubble";
import type { LogItem } from "./visitor-chat";

/** The `role="log"` of messages and notices, oldest first. */
export function MessageList({ items, t }: { items: readonly LogItem[]; t: Translator }) {
  const log = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [items.length]);

  return (
    // Focusable, so that a keyboard can scroll it.
    <div ref={log} class="log" role="log" aria-live="polite" aria-label={t.text("log.label")} tabIndex={0}>
      {items.map((item) =>
        item.type === "notice" ? (
          <p key={item.key} class="notice">
            {item.text}
          </p>
        ) : (
          <MessageBubble key={item.key} message={item.message} t={t} />
        ),
      )}
    </div>
  );
}
