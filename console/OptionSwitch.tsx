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
  save(on: boolean): Promise<void>;
}

export function OptionSwitch({ id, heading, label, hint, checked, save }: Props) {
  const [error, setError] = useState<string | null>(null);
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      <label>
        <input
          type="checkbox"
          checked={checked}
          onChange={(e) => {
            setError(null);
            save(e.currentTarget.checked).catch((failure) => setError(messageOf(failure)));
          }}
        />{" "}
        {label}
      </label>
      {hint && <p class="hint">{hint}</p>}
      {error && <Notice kind="error">{error}</Notice>}
    </section>
  );
}
