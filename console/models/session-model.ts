// Who is signed in: loading /me, sign in, first-run setup, sign out, and the user's options (image
// previews, sound, theme, mail, the name visitors read).

import { computed, signal } from "@preact/signals";
import { parseDisplayName } from "../../policy/chat";
import { messageOf, RequestFailure, type Api } from "../api";
import type { Me, SignInForm } from "../types";
import { formErrorsOf, NO_ERRORS, type FormErrors } from "./form-errors";

/** The options a switch saves as soon as it is flipped. */
type Switches = Partial<Pick<Me["options"], "imagePreviews" | "sound" | "theme" | "mail">>;

export function createSessionModel(api: Api) {
  const me = signal<Me | null>(null);
  const state = signal<"loading" | "signed-out" | "signed-in" | "error">("loading");
  const loadError = signal<string | null>(null);
  const errors = signal<FormErrors>(NO_ERRORS);
  /** A refused display name, shown beside its field. */
  const nameErrors = signal<FormErrors>(NO_ERRORS);
  const busy = signal(false);
  /** The password was right and the user signs in with a second factor: the form asks for the code. */
  const codeAsked = signal(false);
  const isOwner = computed(() => me.value?.user.role === "owner");

  /** Bumped by every change of who is signed in: a /me read answered after a newer change is stale. */
  let changes = 0;

  function signedIn(next: Me) {
    changes++;
    me.value = next;
    state.value = "signed-in";
    errors.value = NO_ERRORS;
    codeAsked.value = false;
  }

  async function submit(action: () => Promise<Me>): Promise<boolean> {
    busy.value = true;
    try {
      signedIn(await action());
      return true;
    } catch (error) {
      const asksCode = error instanceof RequestFailure && error.code === "two_factor_required";
      if (asksCode) codeAsked.value = true;
      // The code field says what to type: the request for it is no error.
      errors.value = asksCode ? NO_ERRORS : formErrorsOf(error);
      return false;
    } finally {
      busy.value = false;
    }
  }

  return {
    me,
    state,
    loadError,
    errors,
    nameErrors,
    busy,
    codeAsked,
    isOwner,
    async load() {
      state.value = "loading";
      const asked = changes;
      try {
        const read = await api.me();
        if (asked === changes) signedIn(read);
      } catch (error) {
        // Signed in meanwhile (the first-run form sent before /me answered): that is the newer truth.
        if (asked !== changes) return;
        if (error instanceof RequestFailure && error.status === 401) {
          state.value = "signed-out";
        } else {
          loadError.value = messageOf(error);
          state.value = "error";
        }
      }
    },
    signIn: (form: SignInForm) => submit(() => api.signIn(form)),
    /** Two-factor sign-in turned on or off here: the Options page shows it. */
    setTwoFactor(twoFactor: Me["twoFactor"]) {
      if (me.value) me.value = { ...me.value, twoFactor };
    },
    setup: (form: { token: string; account: string; name: string; email: string; password: string }) =>
      submit(() => api.setup(form)),
    /** The server says the session is gone: back to sign-in, saying why. */
    expired() {
      if (state.value !== "signed-in") return;
      me.value = null;
      errors.value = { fields: {}, message: "Your session has ended: sign in again." };
      state.value = "signed-out";
    },
    async signOut() {
      await api.signOut().catch(() => undefined);
      me.value = null;
      state.value = "signed-out";
    },
    /**
     * Saves switched options, shown at once (a theme applies before the server answers); a refusal puts
     * back what they were, and rejects. Only these options are touched: another switch may be on its way.
     */
    async setSwitches(switched: Switches) {
      const before = me.value;
      if (!before) return;
      /** Takes the changed options' values from `options`, and leaves the others as they are now. */
      const adopt = (options: Me["options"]) => {
        const current = me.value;
        const keys = Object.keys(switched) as (keyof Switches)[];
        const taken = Object.fromEntries(keys.map((key) => [key, options[key]]));
        if (current) me.value = { ...current, options: { ...current.options, ...taken } };
      };
      adopt({ ...before.options, ...switched });
      try {
        adopt(await api.setOptions(switched));
      } catch (error) {
        adopt(before.options);
        throw error;
      }
    },
    /**
     * Saves the name visitors read ("" clears it); a refusal lands in `nameErrors`, before sending when
     * policy/chat.ts already says why (the server checks the same).
     */
    async setDisplayName(name: string): Promise<boolean> {
      if (!me.value) return false;
      const parsed = parseDisplayName(name);
      nameErrors.value = parsed.ok ? NO_ERRORS : { fields: { displayName: parsed.message }, message: null };
      if (!parsed.ok) return false;
      try {
        const options = await api.setOptions({ displayName: name });
        if (me.value) me.value = { ...me.value, options };
        return true;
      } catch (error) {
        nameErrors.value = formErrorsOf(error);
        return false;
      }
    },
  };
}

export type SessionModel = ReturnType<typeof createSessionModel>;
