// The widget's accent colour: a colour picker and the colour's hex code, kept in step, and a warning
// when neither text colour the widget may draw on it (white, near-black) reads well enough.

import { MIN_TEXT_CONTRAST, TEXT_COLOURS, textOn } from "../policy/contrast";
import { labelOf } from "../policy/field-labels";
import { DEFAULT_ACCENT } from "../policy/widget-look";

const HEX_COLOUR = /^#[0-9a-f]{6}$/i;
const TEXT_COLOUR_NAMES: Record<(typeof TEXT_COLOURS)[number], string> = {
  "#ffffff": "white",
  "#111111": "near-black",
};

/**
 * `value` is what is typed (absent: the widget's blue). The hex field takes any text, sent as typed for
 * the server's message on it; the picker follows it whenever it is a colour.
 */
export function AccentField({
  value,
  onChange,
  error,
}: {
  value: string | undefined;
  onChange(value: string): void;
  error: string | undefined;
}) {
  const typed = value ?? DEFAULT_ACCENT;
  const colour = HEX_COLOUR.test(typed.trim()) ? typed.trim().toLowerCase() : null;
  const text = colour === null ? null : textOn(colour);
  const described = ["window-accent-hint", text && text.ratio < MIN_TEXT_CONTRAST ? "window-accent-warning" : ""];
  return (
    <div class="field">
      <label for="window-accent">{labelOf("window.accent")}</label>
      <div class="accent-inputs">
        <input
          type="color"
          aria-label={`Pick the ${labelOf("window.accent").toLowerCase()}`}
          value={colour ?? DEFAULT_ACCENT}
          onInput={(event) => onChange(event.currentTarget.value)}
        />
        <input
          id="window-accent"
          value={typed}
          maxLength={7}
          spellcheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={[...described, error ? "window-accent-error" : ""].filter(Boolean).join(" ")}
          onInput={(event) => onChange(event.currentTarget.value)}
        />
      </div>
      <p class="hint" id="window-accent-hint">
        The chat button, the panel's header and the visitor's messages, as a hex code like #0b57d0. Their text is white
        or near-black, whichever reads better on it.
      </p>
      {text && text.ratio < MIN_TEXT_CONTRAST && (
        <p class="warning" id="window-accent-warning" role="status">
          Hard to read: {TEXT_COLOUR_NAMES[text.colour]} text, the better of the two, reaches only{" "}
          {text.ratio.toFixed(1)}:1 on this colour, below the {MIN_TEXT_CONTRAST}:1 that WCAG asks for. Choose a darker
          or a lighter colour.
        </p>
      )}
      {error && (
        <p class="error" id="window-accent-error">
          {error}
        </p>
      )}
    </div>
  );
}
