// The account's users, for owners: who has access and who is online now, each one's role, a link to
// set a new password and removal; and a form to add an agent or owner.

import { ConfirmRemove } from "./ConfirmRemove";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { Api } from "./api";
import type { TeamUser } from "./types";
import { createUsersModel, type UsersModel } from "./models/users-model";
import { NewPasswordField } from "./NewPasswordField";
import { Notice } from "./Notice";
import { PRESENCE_TEXT } from "./presence-text";
import { TextField } from "./TextField";

/** Presence changes as agents come and go: read again this often while the section is shown. */
const PRESENCE_REFRESH_MS = 30_000;

const ROLE_TEXT = {
  agent: "Agent: answers chats, blocks visitors from a chat",
  owner: "Owner: also changes settings and the team",
} as const;

/** One member: their role to change, a password-reset link to make, and removal confirmed in place. */
function MemberItem({ model, user, me }: { model: UsersModel; user: TeamUser; me: string }) {
  const [confirming, setConfirming] = useState(false);
  const member = model.presence.value.get(user.id);
  const said = model.said.value?.userId === user.id ? model.said.value : null;
  const who = user.id === me ? `${user.email} (you)` : user.email;
  return (
    <li>
      <span class="member-name">{who}</span>{" "}
      {member && <span class={`presence presence-${member.status}`}> {PRESENCE_TEXT[member.status]}</span>}
      {member?.displayName && <span class="muted"> · visitors read “{member.displayName}”</span>}
      <div class="member-actions">
        <select
          aria-label={`Role of ${user.email}`}
          value={user.role}
          onChange={(e) => void model.setRole(user.id, e.currentTarget.value as TeamUser["role"])}
        >
          <option value="agent">Agent</option>
          <option value="owner">Owner</option>
        </select>
        <button type="button" class="secondary" onClick={() => void model.resetLink(user.id)}>
          Password reset link
        </button>
        {user.id !== me && (
          <button
            type="button"
            class="secondary"
            aria-label={`End sessions of ${user.email}`}
            onClick={() => void model.endSessions(user.id)}
          >
            End sessions
          </button>
        )}
        <ConfirmRemove
          question={`Remove ${user.email}?`}
          confirmLabel={`Remove ${user.email}`}
          confirming={confirming}
          onConfirming={setConfirming}
          onRemove={() => void model.remove(user.id)}
        />
      </div>
      {confirming && <p class="hint">Their sessions end at once, on every device. Their chats keep their name.</p>}
      {said?.error && <Notice kind="error">{said.error}</Notice>}
      {said?.done && <Notice kind="ok">{said.done}</Notice>}
      {said?.link &&
        ("link" in said.link ? (
          <ResetLink email={user.email} link={said.link.link} />
        ) : (
          <Notice kind="ok">Mailed {user.email} a link to set a new password: it works once, for 24 hours.</Notice>
        ))}
    </li>
  );
}

/** The one-time link, selectable and copyable, for the owner to hand over when the server sends no mail. */
function ResetLink({ email, link }: { email: string; link: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="reset-link">
      <label for="reset-link">Link for {email} to set a new password</label>
      <input id="reset-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
      <button
        type="button"
        onClick={() =>
          void navigator.clipboard?.writeText(link).then(
            () => setCopied(true),
            () => undefined,
          )
        }
      >
        {copied ? "Copied" : "Copy"}
      </button>
      <p class="hint">It works once, for 24 hours: hand it to them yourself. A newer link replaces it.</p>
    </div>
  );
}

function TeamList({ model, me }: { model: UsersModel; me: string }) {
  return (
    <ul class="team">
      {model.users.value.map((user) => (
        <MemberItem key={user.id} model={model} user={user} me={me} />
      ))}
    </ul>
  );
}

export function TeamSection({ api, me }: { api: Api; me: string }) {
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
      {model.state.value === "ready" && <TeamList model={model} me={me} />}
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
        <NewPasswordField
          id="new-password"
          label="Password"
          value={password}
          onInput={setPassword}
          error={fields.password}
          more="; tell them in person, or give them a reset link once added."
        />
        <div class="field">
          <label for="new-role">Role</label>
          <select id="new-role" value={role} onChange={(e) => setRole(e.currentTarget.value as "agent" | "owner")}>
            <option value="agent">{ROLE_TEXT.agent}</option>
            <option value="owner">{ROLE_TEXT.owner}</option>
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
