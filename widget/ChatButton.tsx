// The button in the page's corner that opens and closes the chat panel, with the count of the agent's
// unread messages on it while the panel is closed: round with the icon, or a pill with the owner's label.

import type { Ref } from "preact";
import type { FirstTexts } from "./i18n/en";

/** The agent's unread messages: their count, and the button's name saying so ("Open chat: 2 new messages"). */
export interface UnreadBadge {
  count: number;
  label: string;
}

export interface ChatButtonProps {
  open: boolean;
  /** The visitor's language's words, for the button's name. */
  texts: FirstTexts;
  /** Null when nothing waits unread. */
  unread: UnreadBadge | null;
  /** The owner's words beside the icon while the panel is closed; absent: the icon alone. */
  label?: string | undefined;
  onClick(): void;
  /** The pointer is near: a good moment to fetch the panel's code. */
  onPointerEnter(): void;
  buttonRef: Ref<HTMLButtonElement>;
}

/**
 * A real <button>: named "Open chat" or "Close chat" (in the visitor's language), with aria-expanded
 * saying which; while closed with messages unread, its name counts them and a badge shows the count.
 * A label shown is its name, so that a voice command saying what is written finds it (WCAG 2.5.3).
 */
export function ChatButton({ open, texts, unread, label, onClick, onPointerEnter, buttonRef }: ChatButtonProps) {
  const badge = open ? null : unread;
  const shown = open ? undefined : label;
  const name = open ? texts["button.close"] : (badge?.label ?? texts["button.open"]);
  return (
    <button
      ref={buttonRef}
      type="button"
      class="button"
      aria-label={shown ? (badge ? `${shown} – ${badge.label}` : shown) : name}
      aria-expanded={open}
      onClick={onClick}
      onPointerEnter={onPointerEnter}
    >
      <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
        {open ? (
          <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" fill="none" />
        ) : (
          <path
            d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4h0A2.5 2.5 0 0 1 4 13.5z"
            fill="currentColor"
          />
        )}
      </svg>
      {shown}
      {badge && <span class="badge">{badge.count}</span>}
    </button>
  );
}
