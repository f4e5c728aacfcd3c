// The console's appearance for this user: as the device prefers, or always light or dark.

import { useState } from "preact/hooks";
import { messageOf } from "./api";
import { Notice } from "./Notice";
import type { Theme } from "./types";

const CHOICES: [Theme, string][] = [
  ["auto", "Match this device"],
  ["light", "Light"],
  ["dark", "Dark"],
];

export function ThemeField({ value, save }: { value: Theme; save(theme: Theme): Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <fieldset>
      <legend>Appearance</legend>
      {/* The fieldset's legend names the choice: no radiogroup label to read it twice. */}
      <div class="radio-list">
        {CHOICES.map(([theme, label]) => (
          <label key={theme}>
            <input
              type="radio"
              name="theme"
              checked={value === theme}
              onChange={() => {
                setError(null);
                save(theme).catch((failure) => setError(messageOf(failure)));
              }}
            />{" "}
            {label}
          </label>
        ))}
      </div>
      <p class="hint">Match this device follows its light or dark setting. Kept with your account.</p>
      {error && <Notice kind="error">{error}</Notice>}
    </fieldset>
  );
}
