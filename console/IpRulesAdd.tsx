// Add one rule or paste many: each bad line is marked with its reason as it is typed, nothing is
// sent until all are valid, and the answer shows stored networks and merged duplicates.

import type { IpRulesModel } from "./models/ip-rules-model";
import { Notice } from "./Notice";
import { TextField } from "./TextField";

export function IpRulesAdd({ model }: { model: IpRulesModel }) {
  const lineErrors = model.lineErrors.value;
  const { fields, message } = model.errors.value;
  const lineText =
    lineErrors.length > 0
      ? lineErrors
          .slice(0, 20)
          .map((e) => `Line ${e.line} (${e.input.trim() || "empty"}): ${e.message}`)
          .join("\n") + (lineErrors.length > 20 ? `\n…and ${lineErrors.length - 20} more bad lines.` : "")
      : fields.text;
  const added = model.lastAdded.value;
  return (
    <form
      class="ip-add"
      onSubmit={(event) => {
        event.preventDefault();
        void model.add();
      }}
    >
      <h3>Add addresses or networks</h3>
      <TextField
        id="rule-text"
        label="Addresses or networks, one a line"
        multiline
        rows={5}
        value={model.text.value}
        onInput={(v) => (model.text.value = v)}
        error={lineText}
        placeholder={"203.0.113.7\n198.51.100.0/24\n2001:db8::/48"}
        hint="Lines starting with # are skipped."
      />
      <TextField
        id="rule-comment"
        label="Comment"
        value={model.comment.value}
        onInput={(v) => (model.comment.value = v)}
        error={fields.comment}
      />
      <TextField
        id="rule-expires"
        label="Expires (optional)"
        type="datetime-local"
        value={model.expiresAt.value}
        onInput={(v) => (model.expiresAt.value = v)}
        error={fields.expiresAt}
      />
      {message && <Notice kind="error">{message}</Notice>}
      <button type="submit" disabled={model.adding.value || lineErrors.length > 0 || !model.hasLines.value}>
        {model.adding.value ? "Adding…" : "Add rules"}
      </button>
      {added && (
        <ul class="added" role="status" aria-label="Added rules">
          {added.map((line) => (
            <li key={line.line}>
              {line.status === "added" ? (
                line.hostBitsCleared ? (
                  <>
                    Line {line.line}: stored as <code>{line.network}</code> (host bits of {line.input.trim()} cleared)
                  </>
                ) : (
                  <>
                    Line {line.line}: added <code>{line.network}</code>
                  </>
                )
              ) : (
                <>
                  Line {line.line}: {line.message}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
