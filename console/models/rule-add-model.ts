// Adding rules: a paste of addresses, networks and AS numbers whose bad lines are found as the owner
// types (planRules), so nothing is sent until every line is valid; or a CSV export read back.

import { computed, signal } from "@preact/signals";
import type { Api } from "../api";
import { expiryOf, type Duration } from "../durations";
import { compileIpMatcher } from "../../policy/ip-matcher";
import { planRules, type LineError } from "../../policy/rule-paste";
import { keyedRules } from "../../policy/rules";
import type { CsvImport, RuleLine } from "../types";
import { formErrorsOf, NO_ERRORS, type FormErrors } from "./form-errors";

// Bad lines do not depend on the stored rules; merges are reported by the server's answer.
const NO_RULES = { ip: compileIpMatcher([]), as: keyedRules<number>([], () => null) };

/** `added` runs after rules were stored, so the list shows them. */
export function createRuleAddModel(api: Api, added: () => void) {
  const text = signal("");
  const comment = signal("");
  const duration = signal<Duration>("forever");
  const until = signal("");
  const adding = signal(false);
  const errors = signal<FormErrors>(NO_ERRORS);
  const lastAdded = signal<RuleLine[] | null>(null);
  const importing = signal(false);
  const importErrors = signal<FormErrors>(NO_ERRORS);
  const imported = signal<CsvImport | null>(null);

  const hasLines = computed(() =>
    text.value.split("\n").some((line) => line.trim() !== "" && !line.trim().startsWith("#")),
  );
  // Nothing typed yet is not a mistake: the empty box is not marked, the button just waits.
  const lineErrors = computed<LineError[]>(() => {
    if (!hasLines.value) return [];
    const plan = planRules(text.value, NO_RULES, null);
    return plan.ok ? [] : plan.errors;
  });

  return {
    text,
    comment,
    duration,
    until,
    adding,
    errors,
    lastAdded,
    lineErrors,
    hasLines,
    importing,
    importErrors,
    imported,
    /** Sends the paste if every line is valid; true when stored. */
    async add(): Promise<boolean> {
      if (lineErrors.value.length > 0 || !hasLines.value) return false;
      adding.value = true;
      errors.value = NO_ERRORS;
      try {
        const result = await api.addRules({
          text: text.value,
          comment: comment.value,
          expiresAt: expiryOf(duration.value, until.value),
        });
        lastAdded.value = result.lines;
        text.value = "";
        comment.value = "";
        added();
        return true;
      } catch (error) {
        errors.value = formErrorsOf(error);
        return false;
      } finally {
        adding.value = false;
      }
    },
    /** Restores an export: every line valid or nothing stored; true when stored. */
    async importCsv(csv: string): Promise<boolean> {
      importing.value = true;
      importErrors.value = NO_ERRORS;
      imported.value = null;
      try {
        imported.value = await api.importRules(csv);
        added();
        return true;
      } catch (error) {
        importErrors.value = formErrorsOf(error);
        return false;
      } finally {
        importing.value = false;
      }
    },
  };
}

export type RuleAddModel = ReturnType<typeof createRuleAddModel>;
