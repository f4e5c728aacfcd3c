// Whether the chat asks for an email beside a message written while nobody is online, so that the
// answer can go there (policy/prechat.ts): required, optional (the default) or not asked.

import { DEFAULT_OFFLINE_EMAIL, type OfflineEmail } from "../policy/prechat";

const CHOICES: [OfflineEmail, string, string][] = [
  ["required", "Required", "The visitor cannot send the message without an address."],
  ["optional", "Optional (default)", "The visitor may leave an address, or none."],
  ["off", "Don't ask", "The visitor reads your answer on their next visit."],
];

const HEADING = "When nobody is online, ask for an email";

export function OfflineEmailField({
  value,
  onChange,
  error,
}: {
  value: OfflineEmail | undefined;
  onChange(value: OfflineEmail): void;
  error: string | undefined;
}) {
  const current = value ?? DEFAULT_OFFLINE_EMAIL;
  return (
    <fieldset>
      <legend>{HEADING}</legend>
      <div role="radiogroup" aria-label={HEADING} aria-describedby="offline-email-hint">
        {CHOICES.map(([choice, label, hint]) => (
          <label key={choice}>
            <input type="radio" name="offline-email" checked={current === choice} onChange={() => onChange(choice)} />{" "}
            {label}
            <span class="hint"> — {hint}</span>
          </label>
        ))}
      </div>
      <p class="hint" id="offline-email-hint">
        Only while the chat takes messages with no agent online, and not when the form before the chat already asks for
        an email.
      </p>
      {error && <p class="error">{error}</p>}
    </fieldset>
  );
}
