// The account's users, for owners: list them and add an agent or another owner.

import { signal } from "@preact/signals";
import { messageOf, type Api } from "../api";
import type { TeamUser } from "../types";
import { formErrorsOf, NO_ERRORS, type FormErrors } from "./session-model";

export function createUsersModel(api: Api) {
  const users = signal<TeamUser[]>([]);
  const state = signal<"loading" | "ready" | "error">("loading");
  const loadError = signal<string | null>(null);
  const errors = signal<FormErrors>(NO_ERRORS);
  const added = signal<TeamUser | null>(null);
  return {
    users, state, loadError, errors, added,
    async load() {
      try {
        users.value = await api.users();
        state.value = "ready";
      } catch (error) {
        loadError.value = messageOf(error);
        state.value = "error";
      }
    },
    async add(form: { email: string; password: string; role: TeamUser["role"] }): Promise<boolean> {
      errors.value = NO_ERRORS;
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
  };
}

export type UsersModel = ReturnType<typeof createUsersModel>;
