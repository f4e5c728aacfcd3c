// The rules as a CSV file, for owners: export them all (a plain download), and read an export back.

import type { TargetedEvent } from "preact";
import type { RuleAddModel } from "./models/rule-add-model";
import { Notice } from "./Notice";
import type { CsvImport } from "./types";

function lineList(lines: readonly number[]): string {
  return `${lines.length === 1 ? "line" : "lines"} ${lines.join(", ")}`;
}

function importedText({ rules, merged, expired }: CsvImport): string {
  const parts = [`Restored ${rules.length} ${rules.length === 1 ? "rule" : "rules"}.`];
  if (merged.length > 0) parts.push(`Already in place, merged: ${lineList(merged)}.`);
  if (expired.length > 0) parts.push(`Already expired, skipped: ${lineList(expired)}.`);
  return parts.join(" ");
}

export function RulesCsv({ model, csvUrl }: { model: RuleAddModel; csvUrl: string }) {
  const { fields, message } = model.importErrors.value;
  const imported = model.imported.value;
  const onFile = async (event: TargetedEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    await model.importCsv(await file.text());
    // The same file can be chosen again after it is fixed.
    input.value = "";
  };
  return (
    <div class="rules-csv">
      <a href={csvUrl} download>
        Export CSV
      </a>
      <div class="field">
        <label for="rules-import">Import CSV</label>
        <input
          id="rules-import"
          type="file"
          accept=".csv,text/csv"
          disabled={model.importing.value}
          aria-invalid={fields.csv ? true : undefined}
          aria-describedby="rules-import-hint"
          onChange={(event) => void onFile(event)}
        />
        <p class="hint" id="rules-import-hint">
          An export read back restores its rules with their comments and expiry: all lines or none.
        </p>
        {fields.csv && <p class="error">{fields.csv}</p>}
        {message && <Notice kind="error">{message}</Notice>}
        {imported && <Notice kind="ok">{importedText(imported)}</Notice>}
      </div>
    </div>
  );
}
