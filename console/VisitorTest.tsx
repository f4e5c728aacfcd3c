// "Test a visitor": would this IP, country, page (and browser) see the chat under the saved rules, and why.

import { countriesByName } from "../policy/country";
import type { VisitorTestModel } from "./models/visitor-test-model";
import { Notice } from "./Notice";
import { TextField } from "./TextField";

export function VisitorTest({ model }: { model: VisitorTestModel }) {
  const { fields, message } = model.errors.value;
  const result = model.result.value;
  return (
    <form
      class="visitor-test"
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
      {result && (
        <div role="status" class={result.show ? "verdict verdict-shown" : "verdict verdict-hidden"}>
          <p>
            <strong>
              {result.show ? "Shown: this visitor sees the chat." : "Hidden: this visitor does not see the chat."}
            </strong>
          </p>
          <ul>
            {result.reasons.map((r) => (
              <li key={r.check} class={r.hides ? "hides" : undefined}>
                {r.hides ? "Hides" : "Allows"} ({r.check}): {r.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  );
}
