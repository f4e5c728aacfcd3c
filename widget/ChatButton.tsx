// The round button in the page's corner that opens and closes the chat panel.

import type { Ref } from "preact";
import type { Texts } from "./i18n/en";

export interface ChatButtonProps {
  open: boolean;
  /** The visitor's language's words, for the button's name. */
  texts: Texts;
  onClick(): void;
  /** The pointer is near: a good moment to fetch the panel's code. */
  onPointerEnter(): void;
  buttonRef: Ref<HTMLButtonElement>;
}

/** A real <button>: named "Open chat" or "Close chat" (in the visitor's language), with aria-expanded saying which. */
export function ChatButton({ open, texts, onClick, onPointerEnter, buttonRef }: ChatButtonProps) {
  return (
    <button
      ref={buttonRef}
      type="button"
      class="button"
      aria-label={texts[open ? "button.close" : "button.open"]}
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
    </button>
  );
}
