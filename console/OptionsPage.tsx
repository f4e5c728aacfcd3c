// Options: each user's name for visitors, password, idle time and image-preview default, and for owners the team.

import { useState } from "preact/hooks";
import type { Api } from "./api";
import { messageOf } from "./api";
import { DisplayNameForm } from "./DisplayNameForm";
import { IdleField } from "./IdleField";
import type { PresenceModel } from "./models/presence-model";
import type { SessionModel } from "./models/session-model";
import { PasswordForm } from "./PasswordForm";
import { RepliesSection } from "./RepliesSection";
import { Notice } from "./Notice";
import { TeamSection } from "./TeamSection";

export function OptionsPage({ api, session, presence }: { api: Api; session: SessionModel; presence: PresenceModel }) {
  const [error, setError] = useState<string | null>(null);
  const me = session.me.value;
  if (!me) return null;
  return (
    <main class="page">
      <h1>Options</h1>
      <DisplayNameForm session={session} />
      <PasswordForm api={api} />
      <IdleField presence={presence} />
      <section aria-labelledby="previews-heading">
        <h2 id="previews-heading">Image previews</h2>
        <label>
          <input
            type="checkbox"
            checked={me.options.imagePreviews}
            onChange={(e) => {
              setError(null);
              session.setImagePreviews(e.currentTarget.checked).catch((failure) => setError(messageOf(failure)));
            }}
          />{" "}
          Show images visitors send, by default
        </label>
        <p class="hint">
          Off: you see the file's name, size and kind, and nothing of it is loaded until you show it in that chat.
        </p>
        {error && <Notice kind="error">{error}</Notice>}
      </section>
      {session.isOwner.value && <RepliesSection api={api} />}
      {session.isOwner.value && <TeamSection api={api} me={me.user.id} />}
    </main>
  );
}
