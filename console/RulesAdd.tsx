// Add one rule or paste many (addresses, networks, AS numbers): each bad line is marked with its reason
// as it is typed, nothing is sent until all are valid, and the answer shows what was stored and merged.

import { DurationField } from "./DurationField";
import type { RuleAddModel } from "./models/rule-add-model";
import { Notice } from "./Notice";
import { KIND_NAMES } from "./rule-text";
import { TextField } from "./TextField";
import type { RuleLine } from "./types";

/** At most this many bad lines are listed under the box; the rest are counted. */
const SHOWN_LINE_ERRORS = 20;

function Outcome({ line }: { line: RuleLine }) {
  if (line.status === "merged")
    return (
      <>
        Line {line.line}: {line.message}
      </>
    );
  if (line.hostBitsCleared)
    return (
      <>
        Line {line.line}: stored as <code>{line.rule}</code> (host bits of {line.input.trim()} cleared)
      </>
    );
  return (
    <>
      Line {line.line}: added <code>{line.rule}</code> ({KIND_NAMES[line.kind]})
    </>
  );
}

export function RulesAdd({ model }: { model: RuleAddModel }) {
  const lineErrors = model.lineErrors.value;
  const { fields, message } = model.errors.value;
  const lineText =
    lineErrors.length > 0
      ? lineErrors
          .slice(0, SHOWN_LINE_ERRORS)
          .map((e) => `Line ${e.line} (${e.input.trim() || "empty"}): ${e.message}`)
          .join("\n") +
        (lineErrors.length > SHOWN_LINE_ERRORS ? `\n…and ${lineErrors.length - SHOWN_LINE_ERRORS} more bad lines.` : "")
      : fields.text;
  const added = model.lastAdded.value;
  return (
    <form
      class="rules-add"
      onSubmit={(event) => {
        event.preventDefault();
        void model.add();
      }}
    >
      <h3>Add rules</h3>
      <TextField
        id="rule-text"
        label="Addresses, networks or AS numbers, one a line"
        multiline
        rows={5}
        value={model.text.value}
        onInput={(v) => (model.text.value = v)}
        error={lineText}
        placeholder={"203.0.113.7\n198.51.100.0/24\n2001:db8::/48\nAS13335"}
        hint="An AS number (AS13335) hides every address that network operator announces. Lines starting with # are skipped."
      />
      <TextField
        id="rule-comment"
        label="Comment"
        value={model.comment.value}
        onInput={(v) => (model.comment.value = v)}
        error={fields.comment}
      />
      <DurationField
        id="rule-duration"
        label="For how long"
        value={model.duration.value}
        onChange={(v) => (model.duration.value = v)}
        until={model.until.value}
        onUntil={(v) => (model.until.value = v)}
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
              <Outcome line={line} />
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
