// The file policy: the three presets, the categories behind them (dangerous ones marked), the size limit.

import { useState } from "preact/hooks";
import {
  CATEGORIES,
  DANGEROUS_CATEGORIES,
  PRESETS,
  presetOf,
  type Category,
  type PresetName,
} from "../policy/file-category";
import { MAX_UPLOAD_BYTES_LIMIT } from "../policy/limits";

import type { PolicyDocument } from "./types";

type Files = PolicyDocument["files"];

const MB = 1024 * 1024;
const PRESET_LABELS: [PresetName, string][] = [
  ["all", "All files"],
  ["safe", "No harmful files"],
  ["images", "Images only"],
];

/** Why a size limit in MB is refused, or null. */
function sizeProblem(text: string): string | null {
  const mb = Number(text);
  if (text.trim() === "" || !Number.isFinite(mb)) return "Enter the limit in MB, e.g. 10.";
  if (mb <= 0) return "The limit must be more than 0 MB.";
  if (mb * MB > MAX_UPLOAD_BYTES_LIMIT) return `The limit can be at most ${MAX_UPLOAD_BYTES_LIMIT / MB} MB.`;
  return null;
}

export function FilePolicyEditor({
  value,
  onChange,
  onSizeValid,
}: {
  value: Files;
  onChange(next: Files): void;
  onSizeValid(valid: boolean): void;
}) {
  const [sizeText, setSizeText] = useState(String(Math.round((value.maxBytes / MB) * 100) / 100));
  const preset = presetOf(value.categories);
  const problem = sizeProblem(sizeText);
  const toggle = (category: Category) =>
    onChange({
      ...value,
      categories: value.categories.includes(category)
        ? value.categories.filter((c) => c !== category)
        : [...value.categories, category],
    });
  return (
    <fieldset class="file-policy">
      <legend>Files visitors may send</legend>
      <div role="radiogroup" aria-label="Preset">
        {PRESET_LABELS.map(([name, label]) => (
          <label key={name}>
            <input
              type="radio"
              name="preset"
              checked={preset === name}
              onChange={() => onChange({ ...value, categories: [...PRESETS[name]] })}
              aria-describedby={name === "safe" ? "safe-preset-hint" : undefined}
            />{" "}
            {label}
          </label>
        ))}
        {/* The most asked question about the default, answered where it is chosen (#26). */}
        <p class="hint" id="safe-preset-hint">
          No harmful files (the default) refuses documents, archives, programs, scripts and anything unrecognised. To
          take invoices and other PDFs, tick document below as well.
        </p>
        {preset === null && <p class="hint">Custom choice of categories.</p>}
      </div>
      <ul class="categories">
        {CATEGORIES.map((category) => {
          const dangerous = DANGEROUS_CATEGORIES.includes(category);
          return (
            <li key={category}>
              <label class={dangerous ? "dangerous" : undefined}>
                <input
                  type="checkbox"
                  checked={value.categories.includes(category)}
                  onChange={() => toggle(category)}
                />{" "}
                {category}
                {dangerous && <strong> (dangerous: can harm an agent who opens it)</strong>}
              </label>
            </li>
          );
        })}
      </ul>
      <div class="field">
        <label for="max-mb">Size limit (MB)</label>
        <input
          id="max-mb"
          type="number"
          min="0.01"
          step="any"
          value={sizeText}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? "max-mb-error" : undefined}
          onInput={(event) => {
            const text = event.currentTarget.value;
            setSizeText(text);
            const bad = sizeProblem(text);
            onSizeValid(bad === null);
            if (bad === null) onChange({ ...value, maxBytes: Math.round(Number(text) * MB) });
          }}
        />
        {problem && (
          <p class="error" id="max-mb-error">
            {problem}
          </p>
        )}
      </div>
    </fieldset>
  );
}
