// One on/off option of the user's, under its own heading: saved as soon as it is flipped, a refusal said beneath it.

import { useState } from "preact/hooks";
import { messageOf } from "./api";
import { Notice } from "./Notice";

interface Props {
  id: string;
  heading: string;
  label: string;
  hint?: string;
  checked: boolean;
  /** Shown but not changeable (the server cannot do it): the hint says why. */
  disabled?: boolean;
  save(on: boolean): Promise<void>;
}

export function OptionSwitch({ id, heading, label, hint, checked, disabled = false, save }: Props) {
  const [error, setError] = useState<string | null>(null);
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      <label>
        <input
          type="checkbox"
          checked={checked}
          disabled={disabled}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(e) => {
            setError(null);
            save(e.currentTarget.checked).catch((failure) => setError(messageOf(failure)));
          }}
        />{" "}
        {label}
      </label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && <Notice kind="error">{error}</Notice>}
    </section>
  );
}
