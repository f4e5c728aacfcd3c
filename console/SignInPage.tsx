// Sign in with account, email and password.

import { useState } from "preact/hooks";
import type { SessionModel } from "./models/session-model";
import { Notice } from "./Notice";
import { TextField } from "./TextField";

export function SignInPage({ session }: { session: SessionModel }) {
  const [account, setAccount] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { fields, message } = session.errors.value;
  return (
    <main class="auth">
      <h1>Sign in to Hatch</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void session.signIn({ account: account.trim(), email, password });
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
        {message && <Notice kind="error">{message}</Notice>}
        <button type="submit" disabled={session.busy.value}>
          {session.busy.value ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
