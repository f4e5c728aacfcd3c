// A rule's duration: a select of the usual durations and forever, and where offered a time to expire at.

import { DURATIONS, type Duration } from "./durations";
import { TextField } from "./TextField";

interface Props {
  id: string;
  label: string;
  value: Duration;
  onChange(value: Duration): void;
  /** With `onUntil`, "until a time…" is offered and this is the time picked (datetime-local). */
  until?: string;
  onUntil?(value: string): void;
  error?: string | undefined;
}

export function DurationField({ id, label, value, onChange, until, onUntil, error }: Props) {
  const picking = value === "until" && onUntil !== undefined;
  return (
    <>
      <div class="field">
        <label for={id}>{label}</label>
        <select
          id={id}
          value={value}
          aria-invalid={error && !picking ? true : undefined}
          aria-describedby={error && !picking ? `${id}-error` : undefined}
          onChange={(event) => onChange(event.currentTarget.value as Duration)}
        >
          {DURATIONS.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
          {onUntil && <option value="until">until a time…</option>}
        </select>
        {error && !picking && (
          <p class="error" id={`${id}-error`}>
            {error}
          </p>
        )}
      </div>
      {picking && (
        <TextField
          id={`${id}-until`}
          label="Expires at"
          type="datetime-local"
          value={until ?? ""}
          onInput={onUntil}
          error={error}
        />
      )}
    </>
  );
}
