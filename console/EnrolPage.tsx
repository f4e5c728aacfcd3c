// What a member sees whose account's owners require two-factor sign-in they have not set up: the
// enrolment, and nothing else of the console (the server refuses the rest) until it is done.

import type { Api } from "./api";
import type { SessionModel } from "./models/session-model";
import { Notice } from "./Notice";
import { TwoFactorSection } from "./TwoFactorSection";

export function EnrolPage({ api, session, account }: { api: Api; session: SessionModel; account: string }) {
  return (
    <main class="auth">
      <h1>Set up two-factor sign-in</h1>
      <Notice kind="empty">
        The owners of {account} require two-factor sign-in: set it up on your phone to open the console.
      </Notice>
      <TwoFactorSection api={api} session={session} />
      <button type="button" class="secondary" onClick={() => void session.signOut()}>
        Sign out
      </button>
    </main>
  );
}
