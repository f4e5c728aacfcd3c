// Where the user is signed in, in Options: each session's device, address and last use, this one
// marked; any other can be ended, or all of them at once (for a laptop left somewhere).

import { useEffect, useState } from "preact/hooks";
import { messageOf, type Api } from "./api";
import { Notice } from "./Notice";
import type { SignedInSession } from "./types";

const when = (time: number | null) => (time === null ? "—" : new Date(time).toLocaleString());

export function SessionsSection({ api }: { api: Api }) {
  const [sessions, setSessions] = useState<SignedInSession[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Runs an ending, then reads the list again: what the server holds is the truth. */
  const run = async (ending: () => Promise<unknown>) => {
    try {
      await ending();
      setError(null);
      setSessions(await api.sessions());
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  useEffect(() => void run(async () => undefined), [api]);
  const others = sessions?.filter((session) => !session.current) ?? [];
  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Where you are signed in</h2>
      {error && <Notice kind="error">{error}</Notice>}
      {sessions === null ? (
        !error && <Notice kind="loading">Loading your sessions…</Notice>
      ) : (
        <ul class="sessions">
          {sessions.map((session) => (
            <li key={session.id}>
              <span class="member-name">{session.device ?? "An unknown browser"}</span>
              {session.current && <strong> · this one</strong>}
              <span class="muted">
                {" "}
                · {session.address ?? "address unknown"} · last used {when(session.lastSeen ?? session.createdAt)}
              </span>
              {!session.current && (
                <button
                  type="button"
                  class="secondary"
                  aria-label={`End session: ${session.device ?? "an unknown browser"}, last used ${when(session.lastSeen ?? session.createdAt)}`}
                  onClick={() => void run(() => api.endSession(session.id))}
                >
                  End session
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <button type="button" class="secondary" onClick={() => void run(api.endOtherSessions)}>
          End all other sessions
        </button>
      )}
    </section>
  );
}
