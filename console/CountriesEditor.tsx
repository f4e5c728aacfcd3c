// The country rule: off / allow only / block, a searchable list by name, and the unknown-country choice.

import { useState } from "preact/hooks";
import { countriesByName, countryName, unknownDefault, type CountryMode } from "../policy/country";
import type { PolicyDocument } from "./types";

type Countries = PolicyDocument["countries"];

const MODES: [CountryMode, string][] = [
  ["off", "Off: every country"],
  ["allow", "Allow only these countries"],
  ["block", "Block these countries"],
];

export function CountriesEditor({
  value,
  onChange,
  readOnly,
}: {
  value: Countries;
  onChange(next: Countries): void;
  readOnly: boolean;
}) {
  const [search, setSearch] = useState("");
  const all = countriesByName();
  const needle = search.trim().toLowerCase();
  const shown = needle
    ? all.filter((c) => c.name.toLowerCase().includes(needle) || c.code.toLowerCase() === needle)
    : all;
  const selected = new Set(value.list);
  const toggle = (code: string) =>
    onChange({ ...value, list: selected.has(code) ? value.list.filter((c) => c !== code) : [...value.list, code] });
  const unknown = value.unknown ?? unknownDefault(value.mode);
  return (
    <fieldset class="countries" id="countries" tabIndex={-1} disabled={readOnly}>
      <legend>Countries</legend>
      <div role="radiogroup" aria-label="Country rule">
        {MODES.map(([mode, label]) => (
          <label key={mode}>
            <input
              type="radio"
              name="country-mode"
              checked={value.mode === mode}
              onChange={() => onChange({ ...value, mode })}
            />{" "}
            {label}
          </label>
        ))}
      </div>
      {value.mode !== "off" && (
        <>
          <p>
            {value.list.length === 0
              ? "No countries chosen yet: search and tick them below."
              : `Chosen: ${value.list.map(countryName).join(", ")}`}
          </p>
          <div class="field">
            <label for="country-search">Search countries</label>
            <input
              id="country-search"
              type="search"
              value={search}
              onInput={(e) => setSearch(e.currentTarget.value)}
              placeholder="e.g. Germany"
            />
          </div>
          <ul class="country-list">
            {shown.map((c) => (
              <li key={c.code}>
                <label>
                  <input type="checkbox" checked={selected.has(c.code)} onChange={() => toggle(c.code)} /> {c.name}{" "}
                  <span class="muted">{c.code}</span>
                </label>
              </li>
            ))}
          </ul>
          {shown.length === 0 && <p class="hint">No country is called “{search}”.</p>}
          <div role="radiogroup" aria-label="Visitors whose country is unknown">
            <p>Visitors whose country is unknown (private addresses, no database entry):</p>
            <label>
              <input
                type="radio"
                name="country-unknown"
                checked={unknown === "show"}
                onChange={() => onChange({ ...value, unknown: "show" })}
              />{" "}
              see the chat
            </label>
            <label>
              <input
                type="radio"
                name="country-unknown"
                checked={unknown === "hide"}
                onChange={() => onChange({ ...value, unknown: "hide" })}
              />{" "}
              do not see it
            </label>
          </div>
        </>
      )}
    </fieldset>
  );
}
