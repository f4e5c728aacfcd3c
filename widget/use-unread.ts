// The signs outside the panel that the agent wrote: the count on the chat button and in the tab title.
// The agent's messages are read while the panel is open in a visible tab; closed, or in a tab in the
// background, it counts them. Other tabs of the site follow the mark through storage events.

import { useEffect, useState } from "preact/hooks";
import type { UnreadBadge } from "./ChatButton";
import type { Translator } from "./i18n/translator";
import type { Unread } from "./unread";

export interface UnreadSigns {
  /** Whether the panel is open. */
  open: boolean;
  /** The storage key of the read mark, whose change in another tab is followed here. */
  key: string;
  /** Writes the count into the tab's title (tab-title.ts). */
  title(count: number): void;
  /** Gives the chat button its badge, or null when nothing waits. */
  onUnread(badge: UnreadBadge | null): void;
  t: Translator;
}

/** Marks messages read while the visitor sees them, and shows the count of the others. */
export function useUnread(unread: Unread, { open, key, title, onUnread, t }: UnreadSigns): void {
  const visible = usePageVisible();
  const reading = open && visible;
  const waiting = unread.count.value;
  // Shown as 0 while reading, so that a message read as it arrives never flashes a count.
  const count = reading ? 0 : waiting;

  useEffect(() => {
    if (reading) unread.read();
  }, [unread, reading, waiting]);
  useEffect(() => {
    title(count);
    onUnread(count > 0 ? { count, label: t.plural("button.unread", count) } : null);
  }, [count, title, onUnread, t]);
  useEffect(() => () => title(0), [title]);
  useEffect(() => {
    const moved = (event: StorageEvent) => event.key === key && unread.reload();
    addEventListener("storage", moved);
    return () => removeEventListener("storage", moved);
  }, [unread, key]);
}

/** Whether the page's tab is the one shown (the Page Visibility API). */
function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState === "visible");
  useEffect(() => {
    const changed = () => setVisible(document.visibilityState === "visible");
    document.addEventListener("visibilitychange", changed);
    return () => document.removeEventListener("visibilitychange", changed);
  }, []);
  return visible;
}
