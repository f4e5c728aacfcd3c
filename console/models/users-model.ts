// The account's users, for owners: list them and add an agent or another owner.

import { signal } from "@preact/signals";
import type { Api } from "../api";
import type { TeamUser } from "../types";
import { formErrorsOf, NO_ERRORS, type FormErrors } from "./form-errors";
import { createLoadState } from "./load-state";

export function createUsersModel(api: Api) {
  const users = signal<TeamUser[]>([]);
  const { state, loadError, track } = createLoadState();
  const errors = signal<FormErrors>(NO_ERRORS);
  const added = signal<TeamUser | null>(null);
  return {
    users,
    state,
    loadError,
    errors,
    added,
    load: () =>
      track(async () => {
        users.value = await api.users();
      }),
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
