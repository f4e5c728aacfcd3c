// The account's users, for owners: who has access and who is online now, and a form to add an agent or owner.

import { useEffect, useMemo, useState } from "preact/hooks";
import type { Api } from "./api";
import { createUsersModel, type UsersModel } from "./models/users-model";
import { Notice } from "./Notice";
import { PRESENCE_TEXT } from "./presence-text";
import { TextField } from "./TextField";

/** Presence changes as agents come and go: read again this often while the section is shown. */
const PRESENCE_REFRESH_MS = 30_000;

function TeamList({ model }: { model: UsersModel }) {
  const presence = model.presence.value;
  return (
    <ul class="team">
      {model.users.value.map((u) => {
        const member = presence.get(u.id);
        return (
          <li key={u.id}>
            {u.email} <span class="muted">{u.role}</span>
            {member && <span class={`presence presence-${member.status}`}> {PRESENCE_TEXT[member.status]}</span>}
            {member?.displayName && <span class="muted"> · visitors read “{member.displayName}”</span>}
          </li>
        );
      })}
    </ul>
  );
}

export function TeamSection({ api }: { api: Api }) {
  const model = useMemo(() => createUsersModel(api), [api]);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<"agent" | "owner">("agent");
  useEffect(() => {
    void model.load();
    void model.loadPresence();
    const timer = setInterval(() => void model.loadPresence(), PRESENCE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [model]);
  const { fields, message } = model.errors.value;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await model.add({ email, password, role })) {
      setEmail("");
      setPassword("");
    }
  };
  return (
    <section aria-labelledby="team-heading">
      <h2 id="team-heading">Team</h2>
      {model.state.value === "loading" && <Notice kind="loading">Loading users…</Notice>}
      {model.state.value === "error" && <Notice kind="error">{model.loadError.value}</Notice>}
      {model.state.value === "ready" && <TeamList model={model} />}
      {model.presenceError.value && (
        <Notice kind="error">Who is online could not be read. {model.presenceError.value}</Notice>
      )}
      <form onSubmit={submit}>
        <h3>Add a user</h3>
        <TextField
          id="new-email"
          label="Email"
          type="email"
          value={email}
          onInput={setEmail}
          error={fields.email}
          required
        />
        <TextField
          id="new-password"
          label="Password"
          type="password"
          value={password}
          onInput={setPassword}
          error={fields.password}
          hint="At least 10 characters; tell them in person."
          autoComplete="new-password"
          required
        />
        <div class="field">
          <label for="new-role">Role</label>
          <select id="new-role" value={role} onChange={(e) => setRole(e.currentTarget.value as "agent" | "owner")}>
            <option value="agent">Agent: answers chats, blocks visitors from a chat</option>
            <option value="owner">Owner: also changes settings and the team</option>
          </select>
          {fields.role && <p class="error">{fields.role}</p>}
        </div>
        {message && <Notice kind="error">{message}</Notice>}
        {model.added.value && <Notice kind="ok">Added {model.added.value.email}: they can sign in now.</Notice>}
        <button type="submit">Add user</button>
      </form>
    </section>
  );
}
