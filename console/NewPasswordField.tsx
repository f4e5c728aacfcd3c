// A field for a password being chosen (first run, a new user, a change, a reset link): one place
// says how long it must be and tells password managers to offer a new one.

import { TextField } from "./TextField";

export function NewPasswordField(props: {
  id: string;
  label?: string;
  value: string;
  onInput(value: string): void;
  error: string | undefined;
  /** What else the user should know, after the length. */
  more?: string;
}) {
  return (
    <TextField
      id={props.id}
      label={props.label ?? "New password"}
      type="password"
      value={props.value}
      onInput={props.onInput}
      error={props.error}
      hint={`At least 10 characters${props.more ?? "."}`}
      autoComplete="new-password"
      required
    />
  );
}
