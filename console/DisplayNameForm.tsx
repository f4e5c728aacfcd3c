// The name visitors read when this user joins a chat and beside their answers: never their email.

import { useState } from "preact/hooks";
import { MAX_DISPLAY_NAME_CHARS } from "../policy/limits";

import type { SessionModel } from "./models/session-model";
import { Notice } from "./Notice";
import { TextField } from "./TextField";

export function DisplayNameForm({ session }: { session: SessionModel }) {
  const [name, setName] = useState(session.me.value?.options.displayName ?? "");
  const [saved, setSaved] = useState(false);
  const { fields, message } = session.nameErrors.value;
  const submit = async (event: Event) => {
    event.preventDefault();
    const ok = await session.setDisplayName(name);
    // The server trims the name: show what it kept.
    if (ok) setName(session.me.value?.options.displayName ?? "");
    setSaved(ok);
  };
  return (
    <form aria-labelledby="name-heading" onSubmit={submit}>
      <h2 id="name-heading">Your name</h2>
      {/* No maxLength: a browser counts UTF-16 units (21 emoji are 42); parseDisplayName counts characters. */}
      <TextField
        id="display-name"
        label="Your name shown to visitors"
        value={name}
        onInput={(value) => {
          setName(value);
          setSaved(false);
        }}
        error={fields.displayName}
        hint={`Visitors read it when you join a chat and beside your answers; left empty, they read “an agent”. Your email is never shown to visitors. At most ${MAX_DISPLAY_NAME_CHARS} characters; not “Support” or an email address.`}
      />
      {message && <Notice kind="error">{message}</Notice>}
      {saved && <Notice kind="ok">Saved.</Notice>}
      <button type="submit">Save name</button>
    </form>
  );
}
