// The policy document being edited: loaded with its ETag, saved with If-Match, and on a 412
// reloaded from the server with the sections this user changed laid back over it.

import { signal } from "@preact/signals";
import { RequestFailure, type Api } from "../api";
import type { PolicyDocument } from "../types";
import { formErrorsOf, NO_ERRORS, type FormErrors } from "./form-errors";
import { createLoadState } from "./load-state";

export type Section = keyof PolicyDocument;

/** Website lines as typed, trimmed and without blanks: what is sent. */
function cleanPatterns(lines: readonly string[]): string[] {
  return lines.map((line) => line.trim()).filter((line) => line !== "");
}

export function createPolicyModel(api: Api) {
  const draft = signal<PolicyDocument | null>(null);
  const etag = signal("");
  const { state, loadError, track } = createLoadState();
  const saving = signal(false);
  const saved = signal(false);
  // Counts successful saves, so a page can tell its own save from one made on another page.
  const saves = signal(0);
  const conflict = signal(false);
  const errors = signal<FormErrors>(NO_ERRORS);
  let dirty = new Set<Section>();

  async function fetchLatest() {
    const latest = await api.policy();
    etag.value = latest.etag;
    return latest.body;
  }

  return {
    draft,
    etag,
    state,
    loadError,
    saving,
    saved,
    saves,
    conflict,
    errors,
    async load() {
      state.value = "loading";
      await track(async () => {
        draft.value = await fetchLatest();
        dirty = new Set();
      });
    },
    /**
     * Someone changed the policy: take their version if nothing is being edited here. With edits
     * pending the draft stays, and saving meets the 412 that offers to merge.
     */
    async refresh() {
      if (dirty.size > 0 || saving.value || state.value !== "ready") return;
      try {
        draft.value = await fetchLatest();
      } catch {
        // The next save or page load says what is wrong.
      }
    },
    /** Replaces one section of the draft, remembering it was changed here. */
    edit<S extends Section>(section: S, value: PolicyDocument[S]) {
      if (!draft.value) return;
      draft.value = { ...draft.value, [section]: value };
      dirty.add(section);
      saved.value = false;
    },
    async save(): Promise<boolean> {
      const current = draft.value;
      if (!current) return false;
      saving.value = true;
      errors.value = NO_ERRORS;
      try {
        const body = {
          ...current,
          websites: {
            allowed: cleanPatterns(current.websites.allowed),
            blocked: cleanPatterns(current.websites.blocked),
          },
        };
        const result = await api.savePolicy(body, etag.value);
        draft.value = result.body;
        etag.value = result.etag;
        dirty = new Set();
        saved.value = true;
        saves.value++;
        return true;
      } catch (error) {
        if (error instanceof RequestFailure && error.status === 412) conflict.value = true;
        else errors.value = formErrorsOf(error);
        return false;
      } finally {
        saving.value = false;
      }
    },
    /** After a conflict: the server's document and ETag, with this user's changed sections kept. */
    async reloadKeepingEdits() {
      const mine = draft.value;
      try {
        const latest = await fetchLatest();
        const merged = { ...latest };
        if (mine) for (const section of dirty) Object.assign(merged, { [section]: mine[section] });
        draft.value = merged;
        conflict.value = false;
      } catch (error) {
        errors.value = formErrorsOf(error);
      }
    },
  };
}

export type PolicyModel = ReturnType<typeof createPolicyModel>;
