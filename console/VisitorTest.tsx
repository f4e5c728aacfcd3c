// "Test a visitor": would this IP, country, page (and browser) see the chat under the saved rules, behind
// a proof of work or not, and why.

import { countriesByName } from "../policy/country";
import type { VisitorTestModel } from "./models/visitor-test-model";
import { Notice } from "./Notice";
import { TextField } from "./TextField";
import type { Reason, Verdict } from "./types";

/** What a reason does to the visitor: a hiding reason wins over a challenging one, as in decide(). */
function effectOf(reason: Reason): "hides" | "challenges" | "allows" {
  if (reason.hides) return "hides";
  return reason.challenges ? "challenges" : "allows";
}

const EFFECT_TEXT = { hides: "Hides", challenges: "Challenges", allows: "Allows" } as const;

/** What each check looks at, in the words of the settings behind it. */
const CHECK_TEXT: Record<Reason["check"], string> = {
  ip: "IP rules",
  visitor: "visitor rules",
  as: "AS rules",
  hosting: "hosting networks",
  tor: "Tor exits",
  challenge: "challenge every visitor",
  country: "countries",
  website: "websites",
  away: "agents online",
};

function headline(verdict: Verdict): string {
  if (!verdict.show) return "Hidden: this visitor does not see the chat.";
  if (verdict.challenged)
    return "Shown, behind a proof of work: this visitor sees the chat, and their browser must do some work before their first message.";
  return "Shown: this visitor sees the chat.";
}

function VerdictView({ verdict }: { verdict: Verdict }) {
  const tone = !verdict.show ? "hidden" : verdict.challenged ? "challenged" : "shown";
  return (
    <div role="status" class={`verdict verdict-${tone}`}>
      <p>
        <strong>{headline(verdict)}</strong>
      </p>
      <ul>
        {verdict.reasons.map((reason) => {
          const effect = effectOf(reason);
          return (
            <li key={reason.check} class={effect === "allows" ? undefined : effect}>
              {EFFECT_TEXT[effect]} ({CHECK_TEXT[reason.check]}): {reason.message}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function VisitorTest({ model }: { model: VisitorTestModel }) {
  const { fields, message } = model.errors.value;
  const result = model.result.value;
  return (
    <form
      class="visitor-test"
      id="visitor-test"
      tabIndex={-1}
      onSubmit={(event) => {
        event.preventDefault();
        void model.run();
      }}
    >
      <h2>Test a visitor</h2>
      <p class="hint">Checks the saved rules: save first to test a change.</p>
      <TextField
        id="test-ip"
        label="IP address"
        value={model.ip.value}
        onInput={(v) => (model.ip.value = v)}
        error={fields.ip}
        required
        placeholder="203.0.113.7"
      />
      <div class="field">
        <label for="test-country">Country</label>
        <select
          id="test-country"
          value={model.country.value}
          onChange={(e) => (model.country.value = e.currentTarget.value)}
        >
          <option value="">Unknown</option>
          {countriesByName().map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
        {fields.country && <p class="error">{fields.country}</p>}
      </div>
      <TextField
        id="test-page"
        label="Page URL"
        type="url"
        value={model.page.value}
        onInput={(v) => (model.page.value = v)}
        error={fields.page}
        required
        placeholder="https://example.com/pricing"
      />
      <TextField
        id="test-visitor"
        label="Visitor id (optional)"
        value={model.visitor.value}
        onInput={(v) => (model.visitor.value = v)}
        error={fields.visitor}
        placeholder="v_…"
        hint="As a chat shows it, to test a rule that blocks one browser."
      />
      {message && <Notice kind="error">{message}</Notice>}
      <button type="submit" disabled={model.busy.value}>
        Test
      </button>
      {result && <VerdictView verdict={result} />}
    </form>
  );
}
