// The rules of every kind as the user narrows them (kind, author, active or expired, a search), and removal.

import { signal } from "@preact/signals";
import type { Api } from "../api";
import type { Rule, RuleQuery } from "../types";
import { formErrorsOf, NO_ERRORS, type FormErrors } from "./form-errors";
import { createLoadState } from "./load-state";

/** A search is sent once typing pauses this long, not at every key. */
const SEARCH_PAUSE_MS = 250;

export function createRulesModel(api: Api) {
  const rules = signal<Rule[]>([]);
  /** How many rules match, of which the server lists the newest 1,000. */
  const total = signal(0);
  const { state, loadError, track } = createLoadState();
  const query = signal<RuleQuery>({});
  const errors = signal<FormErrors>(NO_ERRORS);
  // Answers can arrive out of order: only the last load's rules are shown.
  let latest = 0;
  let pending: ReturnType<typeof setTimeout> | undefined;

  const load = () => {
    clearTimeout(pending);
    const mine = ++latest;
    return track(async () => {
      const found = await api.rules(query.value);
      if (mine !== latest) return;
      rules.value = found.rules;
      total.value = found.total;
    });
  };

  return {
    rules,
    total,
    state,
    loadError,
    query,
    errors,
    load,
    /** Narrows the list and loads it again; a search waits for a pause in typing. */
    filter(change: RuleQuery) {
      query.value = { ...query.value, ...change };
      clearTimeout(pending);
      if ("q" in change) pending = setTimeout(() => void load(), SEARCH_PAUSE_MS);
      else void load();
    },
    async remove(id: string) {
      errors.value = NO_ERRORS;
      try {
        await api.removeRule(id);
        rules.value = rules.value.filter((rule) => rule.id !== id);
        total.value -= 1;
      } catch (error) {
        errors.value = formErrorsOf(error);
      }
    },
  };
}

export type RulesModel = ReturnType<typeof createRulesModel>;
