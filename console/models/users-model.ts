// The account's users, for owners: list them with their presence, add an agent or another owner,
// change a role, remove someone, and make a one-time link to set a password.

import { signal } from "@preact/signals";
import { emailProblem } from "../../policy/chat";
import { messageOf, type Api } from "../api";
import type { ResetLink, TeamMember, TeamUser } from "../types";
import { formErrorsOf, NO_ERRORS, type FormErrors } from "./form-errors";
import { createLoadState } from "./load-state";

export function createUsersModel(api: Api) {
  const users = signal<TeamUser[]>([]);
  const { state, loadError, track } = createLoadState();
  const errors = signal<FormErrors>(NO_ERRORS);
  const added = signal<TeamUser | null>(null);
  /** Each user's presence by user id, as last read. */
  const presence = signal<ReadonlyMap<string, TeamMember>>(new Map());
  const presenceError = signal<string | null>(null);
  /**
   * What the last change to one member said: a refusal, or the reset link to hand over (a link of
   * `mailed` went to them by mail instead: the server sends mail).
   */
  const said = signal<{ userId: string; error: string | null; link: ResetLink | null; done: string | null } | null>(
    null,
  );
  /** Runs a change to member `userId`, keeping what it says (`done`, a link, or why it failed) beside them. */
  async function change(
    userId: string,
    run: () => Promise<ResetLink | null>,
    done: string | null = null,
  ): Promise<boolean> {
    try {
      said.value = { userId, error: null, link: await run(), done };
      return true;
    } catch (error) {
      said.value = { userId, error: messageOf(error), link: null, done: null };
      return false;
    }
  }
  return {
    users,
    presence,
    presenceError,
    state,
    loadError,
    errors,
    added,
    said,
    load: () =>
      track(async () => {
        users.value = await api.users();
      }),
    /** Reads the team's presence; a failed read keeps the last one, saying why. */
    async loadPresence() {
      try {
        const { team = [] } = await api.presence();
        presence.value = new Map(team.map((member) => [member.userId, member]));
        presenceError.value = null;
      } catch (error) {
        presenceError.value = messageOf(error);
      }
    },
    /** Adds a user; an email policy/chat.ts already refuses is refused beside its field before sending. */
    async add(form: { email: string; password: string; role: TeamUser["role"] }): Promise<boolean> {
      const problem = emailProblem(form.email.trim().toLowerCase());
      errors.value = problem === null ? NO_ERRORS : { fields: { email: problem }, message: null };
      if (problem !== null) return false;
      try {
        const user = await api.addUser(form);
        users.value = [...users.value, user];
        added.value = user;
        return true;
      } catch (error) {
        errors.value = formErrorsOf(error);
        return false;
      }
    },
    setRole: (userId: string, role: TeamUser["role"]) =>
      change(userId, async () => {
        const changed = await api.setRole(userId, role);
        users.value = users.value.map((user) => (user.id === userId ? changed : user));
        return null;
      }),
    remove: (userId: string) =>
      change(userId, async () => {
        await api.removeUser(userId);
        users.value = users.value.filter((user) => user.id !== userId);
        return null;
      }),
    resetLink: (userId: string) => change(userId, () => api.resetLink(userId)),
    /** Ends every session of the member (for a lost laptop): they sign in again. */
    endSessions: (userId: string) =>
      change(
        userId,
        async () => {
          await api.endMemberSessions(userId);
          return null;
        },
        "Their sessions have ended, open consoles included: they sign in again.",
      ),
  };
}

export type UsersModel = ReturnType<typeof createUsersModel>;
