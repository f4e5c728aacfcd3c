// The IP rules collection: list, filter, remove, and adding a paste whose bad lines are found as
// the owner types (planIpRules), so nothing is sent until every line is valid.

import { computed, signal } from "@preact/signals";
import type { Api } from "../api";
import { compileIpMatcher } from "../../policy/ip-matcher";
import { planIpRules, type LineError } from "../../policy/ip-rules";
import type { IpRule, RuleLine } from "../types";
import { formErrorsOf, NO_ERRORS, type FormErrors } from "./form-errors";
import { createLoadState } from "./load-state";

// Bad lines do not depend on the stored rules; merges are reported by the server's answer.
const NO_RULES = compileIpMatcher([]);

/** Who made a rule, as one line of text (without the chat link). */
export function authorText(rule: IpRule): string {
  return rule.createdBy.kind === "agent" ? `agent ${rule.createdBy.email}` : `console (${rule.createdBy.email})`;
}

export function createIpRulesModel(api: Api) {
  const rules = signal<IpRule[]>([]);
  const { state, loadError, track } = createLoadState();
  const filter = signal("");
  const text = signal("");
  const comment = signal("");
  const expiresAt = signal("");
  const adding = signal(false);
  const errors = signal<FormErrors>(NO_ERRORS);
  const lastAdded = signal<RuleLine[] | null>(null);

  const filtered = computed(() => {
    const needle = filter.value.trim().toLowerCase();
    if (!needle) return rules.value;
    return rules.value.filter((rule) =>
      `${rule.network} ${rule.comment} ${authorText(rule)}`.toLowerCase().includes(needle),
    );
  });
  const hasLines = computed(() =>
    text.value.split("\n").some((line) => line.trim() !== "" && !line.trim().startsWith("#")),
  );
  // Nothing typed yet is not a mistake: the empty box is not marked, the button just waits.
  const lineErrors = computed<LineError[]>(() => {
    if (!hasLines.value) return [];
    const plan = planIpRules(text.value, NO_RULES, null);
    return plan.ok ? [] : plan.errors;
  });

  const load = () =>
    track(async () => {
      rules.value = await api.ipRules();
    });

  return {
    rules,
    state,
    loadError,
    filter,
    filtered,
    text,
    comment,
    expiresAt,
    adding,
    errors,
    lastAdded,
    lineErrors,
    hasLines,
    load,
    /** Sends the paste if every line is valid; true when stored. */
    async add(): Promise<boolean> {
      if (lineErrors.value.length > 0 || !hasLines.value) return false;
      adding.value = true;
      errors.value = NO_ERRORS;
      try {
        const result = await api.addIpRules({
          text: text.value,
          comment: comment.value,
          expiresAt: expiresAt.value ? new Date(expiresAt.value).toISOString() : null,
        });
        lastAdded.value = result.lines;
        text.value = "";
        comment.value = "";
        expiresAt.value = "";
        await load();
        return true;
      } catch (error) {
        errors.value = formErrorsOf(error);
        return false;
      } finally {
        adding.value = false;
      }
    },
    async remove(id: string) {
      try {
        await api.removeIpRule(id);
        rules.value = rules.value.filter((rule) => rule.id !== id);
      } catch (error) {
        errors.value = formErrorsOf(error);
      }
    },
  };
}

export type IpRulesModel = ReturnType<typeof createIpRulesModel>;
