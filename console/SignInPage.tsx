// Sign in with account, email and password, and the code of an authenticator app when the user has
// two-factor sign-in on (the server asks for it once the password is right).

import { useEffect, useState } from "preact/hooks";
import type { SessionModel } from "./models/session-model";
import { Notice } from "./Notice";
import { TextField } from "./TextField";

export function SignInPage({ session }: { session: SessionModel }) {
  const [account, setAccount] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const { fields, message } = session.errors.value;
  const codeAsked = session.codeAsked.value;
  // The field appears after a submit: typing goes there next.
  useEffect(() => {
    if (codeAsked) document.getElementById("code")?.focus();
  }, [codeAsked]);
  return (
    <main class="auth">
      <h1>Sign in to Hatch</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void session.signIn({ account: account.trim(), email, password, ...(codeAsked ? { code } : {}) });
        }}
      >
        <TextField
          id="account"
          label="Account"
          value={account}
          onInput={setAccount}
          error={fields.account}
          autoComplete="organization"
          required
        />
        <TextField
          id="email"
          label="Email"
          type="email"
          value={email}
          onInput={setEmail}
          error={fields.email}
          autoComplete="username"
          required
        />
        <TextField
          id="password"
          label="Password"
          type="password"
          value={password}
          onInput={setPassword}
          error={fields.password}
          autoComplete="current-password"
          required
        />
        {codeAsked && (
          <TextField
            id="code"
            label="Code from your authenticator app"
            value={code}
            onInput={setCode}
            error={fields.code}
            hint="The six digits your app shows for Hatch now, or one of your backup codes."
            autoComplete="one-time-code"
            required
          />
        )}
        {message && <Notice kind="error">{message}</Notice>}
        <button type="submit" disabled={session.busy.value}>
          {session.busy.value ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
