// A user changes their own password: the current one proves it is them; their other sessions end.

import { useState } from "preact/hooks";
import type { Api } from "./api";
import { formErrorsOf, NO_ERRORS } from "./models/form-errors";
import { NewPasswordField } from "./NewPasswordField";
import { Notice } from "./Notice";
import { TextField } from "./TextField";

export function PasswordForm({ api }: { api: Api }) {
  const [current, setCurrent] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState(NO_ERRORS);
  const [saved, setSaved] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setSaved(false);
    try {
      await api.changePassword({ current, password });
      setErrors(NO_ERRORS);
      setCurrent("");
      setPassword("");
      setSaved(true);
    } catch (error) {
      setErrors(formErrorsOf(error));
    }
  };
  return (
    <form aria-labelledby="password-heading" onSubmit={submit}>
      <h2 id="password-heading">Your password</h2>
      <TextField
        id="current-password"
        label="Current password"
        type="password"
        value={current}
        onInput={setCurrent}
        error={errors.fields.current}
        autoComplete="current-password"
        required
      />
      <NewPasswordField
        id="changed-password"
        value={password}
        onInput={setPassword}
        error={errors.fields.password}
        more=". You stay signed in here; every other session of yours ends."
      />
      {errors.message && <Notice kind="error">{errors.message}</Notice>}
      {saved && <Notice kind="ok">Password changed. Your other sessions have ended.</Notice>}
      <button type="submit">Change password</button>
    </form>
  );
}
