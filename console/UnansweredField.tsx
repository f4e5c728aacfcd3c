// Whether to be mailed when a chat request waits unanswered, and after how long (policy/wire.ts
// UserOptions.mail.unansweredMinutes): never, the default, or after a few minutes.

import { useState } from "preact/hooks";
import { messageOf } from "./api";
import { Notice } from "./Notice";

const CHOICES: [number | null, string][] = [
  [null, "Never"],
  [2, "After 2 minutes"],
  [5, "After 5 minutes"],
  [10, "After 10 minutes"],
  [30, "After 30 minutes"],
];

export function UnansweredField({
  value,
  disabled,
  save,
}: {
  value: number | null;
  disabled: boolean;
  save(minutes: number | null): Promise<void>;
}) {
  const [error, setError] = useState<string | null>(null);
  // A value set through the API that the list lacks is shown as it is, not as "Never".
  const choices = CHOICES.some(([minutes]) => minutes === value)
    ? CHOICES
    : [...CHOICES, [value, `After ${value} minutes`] as [number | null, string]];
  return (
    <p>
      <label for="mail-unanswered">Mail me when a chat request waits unanswered</label>{" "}
      <select
        id="mail-unanswered"
        disabled={disabled}
        value={value === null ? "" : String(value)}
        onChange={(event) => {
          const raw = event.currentTarget.value;
          setError(null);
          save(raw === "" ? null : Number(raw)).catch((failure) => setError(messageOf(failure)));
        }}
      >
        {choices.map(([minutes, label]) => (
          <option key={label} value={minutes === null ? "" : String(minutes)}>
            {label}
          </option>
        ))}
      </select>
      {error && <Notice kind="error">{error}</Notice>}
    </p>
  );
}
