// First run: the one-time link creates the account and its owner, then signs them in.

import { useState } from "preact/hooks";
import type { SessionModel } from "./models/session-model";
import { NewPasswordField } from "./NewPasswordField";
import { Notice } from "./Notice";
import { TextField } from "./TextField";

export function SetupPage({ session, token, onDone }: { session: SessionModel; token: string; onDone(): void }) {
  const [account, setAccount] = useState("");
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { fields, message } = session.errors.value;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await session.setup({ token, account: account.trim(), name, email, password })) onDone();
  };
  return (
    <main class="auth">
      <h1>Set up Hatch</h1>
      <p>Create your account and its owner. You can add agents afterwards under Options.</p>
      <form onSubmit={submit}>
        <TextField
          id="setup-account"
          label="Account id"
          value={account}
          onInput={setAccount}
          error={fields.account}
          hint="3 to 40 lower-case letters, digits or dashes; it goes into the snippet on your site."
          required
        />
        <TextField id="setup-name" label="Account name" value={name} onInput={setName} error={fields.name} required />
        <TextField
          id="setup-email"
          label="Your email"
          type="email"
          value={email}
          onInput={setEmail}
          error={fields.email}
          autoComplete="username"
          required
        />
        <NewPasswordField
          id="setup-password"
          label="Password"
          value={password}
          onInput={setPassword}
          error={fields.password}
        />
        {message && <Notice kind="error">{message}</Notice>}
        <button type="submit" disabled={session.busy.value}>
          {session.busy.value ? "Creating…" : "Create account"}
        </button>
      </form>
    </main>
  );
}
