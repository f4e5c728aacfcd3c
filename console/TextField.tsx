// A labelled input with its error beside it, tied together for screen readers.

import type { TargetedEvent } from "preact";

interface Props {
  id: string;
  label: string;
  value: string;
  onInput(value: string): void;
  error?: string | undefined;
  hint?: string;
  type?: "text" | "email" | "password" | "number" | "url" | "datetime-local";
  autoComplete?: string;
  required?: boolean;
  multiline?: boolean;
  rows?: number;
  placeholder?: string;
  maxLength?: number;
  /** Multiline fields are lists (rules, addresses) unless told they are prose, which is spell-checked. */
  prose?: boolean;
  onKeyDown?(event: KeyboardEvent): void;
}

export function TextField(props: Props) {
  const described =
    [props.hint ? `${props.id}-hint` : "", props.error ? `${props.id}-error` : ""].filter(Boolean).join(" ") ||
    undefined;
  const common = {
    id: props.id,
    name: props.id,
    value: props.value,
    "aria-invalid": props.error ? true : undefined,
    "aria-describedby": described,
    required: props.required,
    placeholder: props.placeholder,
    maxLength: props.maxLength,
    onKeyDown: props.onKeyDown,
    onInput: (event: TargetedEvent<HTMLInputElement | HTMLTextAreaElement>) => props.onInput(event.currentTarget.value),
  };
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} rows={props.rows ?? 4} spellcheck={props.prose === true} />
      ) : (
        // preact types <input> as a union keyed on `type`; every type allowed here takes a string value.
        <input {...common} type={(props.type ?? "text") as "text"} autoComplete={props.autoComplete} />
      )}
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}
