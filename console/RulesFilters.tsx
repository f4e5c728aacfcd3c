// Narrowing the rules list: a search, and the kind, author and status of the rules shown.

import type { RulesModel } from "./models/rules-model";
import type { RuleQuery } from "./types";

type Choices<K extends keyof RuleQuery> = [NonNullable<RuleQuery[K]> | "", string][];

const KINDS: Choices<"kind"> = [
  ["", "Every kind"],
  ["address", "Addresses"],
  ["network", "Networks"],
  ["as", "Network operators (AS)"],
  ["visitor", "Visitors"],
];
const AUTHORS: Choices<"author"> = [
  ["", "Anyone"],
  ["console", "An owner, here"],
  ["agent", "An agent, from a chat"],
  ["automatic", "Automatic protection"],
];
const STATUSES: Choices<"status"> = [
  ["", "Active and expired"],
  ["active", "Active"],
  ["expired", "Expired"],
];

function Choice<K extends "kind" | "author" | "status">({
  model,
  field,
  label,
  choices,
}: {
  model: RulesModel;
  field: K;
  label: string;
  choices: Choices<K>;
}) {
  return (
    <div class="field">
      <label for={`rules-${field}`}>{label}</label>
      <select
        id={`rules-${field}`}
        value={model.query.value[field] ?? ""}
        onChange={(event) => model.filter({ [field]: event.currentTarget.value || undefined })}
      >
        {choices.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function RulesFilters({ model }: { model: RulesModel }) {
  return (
    <div class="rules-filters" role="search" aria-label="Rules">
      <div class="field">
        <label for="rules-q">Search rules</label>
        <input
          id="rules-q"
          type="search"
          value={model.query.value.q ?? ""}
          placeholder="address, AS, name, comment or email"
          onInput={(event) => model.filter({ q: event.currentTarget.value.trim() || undefined })}
        />
      </div>
      <Choice model={model} field="kind" label="Kind" choices={KINDS} />
      <Choice model={model} field="author" label="Made by" choices={AUTHORS} />
      <Choice model={model} field="status" label="Status" choices={STATUSES} />
    </div>
  );
}
