// An owner's one-time link (`#/reset/TOKEN`): the user sets a new password without signing in, then signs in with it.

import { useState } from "preact/hooks";
import type { Api } from "./api";
import { formErrorsOf, NO_ERRORS } from "./models/form-errors";
import { NewPasswordField } from "./NewPasswordField";
import { Notice } from "./Notice";

export function ResetPasswordPage({ api, token, onDone }: { api: Api; token: string; onDone(): void }) {
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState(NO_ERRORS);
  const [done, setDone] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      await api.resetPassword({ token, password });
      setDone(true);
    } catch (error) {
      setErrors(formErrorsOf(error));
    }
  };
  return (
    <main class="auth">
      <h1>Set a new password</h1>
      {done ? (
        <>
          <Notice kind="ok">Your password is set: sign in with it. Any session you had has ended.</Notice>
          <button type="button" onClick={onDone}>
            Sign in
          </button>
        </>
      ) : (
        <form onSubmit={submit}>
          <p>An owner of your account made this link for you. It works once.</p>
          <NewPasswordField id="reset-password" value={password} onInput={setPassword} error={errors.fields.password} />
          {errors.message && <Notice kind="error">{errors.message}</Notice>}
          <button type="submit">Set password</button>
        </form>
      )}
    </main>
  );
}
