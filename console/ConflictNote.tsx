// The 412 answer: someone else saved first; reload their version keeping what was typed here.

import type { PolicyModel } from "./models/policy-model";

export function ConflictNote({ policy }: { policy: PolicyModel }) {
  if (!policy.conflict.value) return null;
  return (
    <div class="notice notice-error" role="alert">
      <p>Someone else saved these settings after you opened them, so yours were not saved.</p>
      <button type="button" onClick={() => void policy.reloadKeepingEdits()}>
        Load their version, keep my changes
      </button>
    </div>
  );
}
