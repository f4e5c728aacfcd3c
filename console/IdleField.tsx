// How long without activity in the console before the user is set away; kept in this browser.

import { useState } from "preact/hooks";
import type { PresenceModel } from "./models/presence-model";
import { TextField } from "./TextField";

export function IdleField({ presence }: { presence: PresenceModel }) {
  const [text, setText] = useState(String(presence.idleMinutes.value));
  const [error, setError] = useState<string | null>(null);
  return (
    <section aria-labelledby="idle-heading">
      <h2 id="idle-heading">Away when idle</h2>
      <TextField
        id="idle-minutes"
        label="Set me away after this many minutes without activity"
        type="number"
        value={text}
        onInput={(value) => {
          setText(value);
          setError(presence.setIdleMinutes(value));
        }}
        error={error ?? undefined}
        hint="Moving the pointer or typing in the console sets you online again; an away you chose yourself stays until you choose online. Kept in this browser."
      />
    </section>
  );
}
