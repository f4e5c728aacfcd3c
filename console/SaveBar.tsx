// The save button of a policy page, with the conflict note and any error that belongs to no field.

import { useRef } from "preact/hooks";
import type { PolicyModel } from "./models/policy-model";
import { ConflictNote } from "./ConflictNote";
import { Notice } from "./Notice";

export function SaveBar({ policy, blocked }: { policy: PolicyModel; blocked: boolean }) {
  // The policy model outlives the page: only a save made since this page opened is reported here.
  const savesAtOpen = useRef(policy.saves.peek());
  const savedHere = policy.saved.value && policy.saves.value > savesAtOpen.current;
  const { fields, message } = policy.errors.value;
  const other = Object.entries(fields).map(([field, text]) => `${field}: ${text}`);
  return (
    <div class="save-bar">
      <ConflictNote policy={policy} />
      {message && <Notice kind="error">{message}</Notice>}
      {other.length > 0 && <Notice kind="error">{other.join(" ")}</Notice>}
      {savedHere && <Notice kind="ok">Saved. Visitors get the new rules on their next page load.</Notice>}
      <button type="submit" disabled={policy.saving.value || blocked}>
        {policy.saving.value ? "Saving…" : "Save"}
      </button>
      {blocked && <span class="hint">Fix the marked entries to save.</span>}
    </div>
  );
}
