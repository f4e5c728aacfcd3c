// The save button of a policy page, with the conflict note and any error not shown beside its field.

import { useRef } from "preact/hooks";
import type { PolicyModel } from "./models/policy-model";
import { ConflictNote } from "./ConflictNote";
import { Notice } from "./Notice";

export function SaveBar({
  policy,
  blocked,
  shownBeside = [],
}: {
  policy: PolicyModel;
  blocked: boolean;
  /** Error fields the page shows beside their inputs (a list's, with its entries'): here they are only pointed to. */
  shownBeside?: readonly string[];
}) {
  // The policy model outlives the page: only a save made since this page opened is reported here.
  const savesAtOpen = useRef(policy.saves.peek());
  const savedHere = policy.saved.value && policy.saves.value > savesAtOpen.current;
  const { fields, message } = policy.errors.value;
  // A list's field shows its entries' errors too (`screening.words` shows `screening.words.2`).
  const beside = (field: string) => shownBeside.some((shown) => field === shown || field.startsWith(`${shown}.`));
  const marked = Object.keys(fields).some(beside);
  const other = Object.entries(fields)
    .filter(([field]) => !beside(field))
    .map(([field, text]) => `${field}: ${text}`);
  return (
    <div class="save-bar">
      <ConflictNote policy={policy} />
      {message && <Notice kind="error">{message}</Notice>}
      {marked && <Notice kind="error">Not saved: fix the marked fields.</Notice>}
      {other.length > 0 && <Notice kind="error">{other.join(" ")}</Notice>}
      {savedHere && <Notice kind="ok">Saved. Visitors get the new rules on their next page load.</Notice>}
      <button type="submit" disabled={policy.saving.value || blocked}>
        {policy.saving.value ? "Saving…" : "Save"}
      </button>
      {blocked && <span class="hint">Fix the marked entries to save.</span>}
    </div>
  );
}
