// The signed-in user's status in the header: online or away, as they choose (idleness sets away too).

import type { PresenceModel } from "./models/presence-model";
import { PRESENCE_TEXT } from "./presence-text";

export function PresenceToggle({ presence }: { presence: PresenceModel }) {
  const status = presence.status.value;
  const error = presence.error.value;
  if (status === null) return error ? <span class="error">{error}</span> : null;
  return (
    <span class={`presence presence-${status}`}>
      <label for="presence-status">Status</label>{" "}
      <select
        id="presence-status"
        value={status}
        aria-describedby={error ? "presence-error" : undefined}
        onChange={(event) => void presence.choose(event.currentTarget.value as "online" | "away")}
      >
        <option value="online">{PRESENCE_TEXT.online}</option>
        <option value="away">{PRESENCE_TEXT.away}</option>
        {/* Only until the event feed connects: an open console is an agent present. */}
        {status === "offline" && (
          <option value="offline" disabled>
            {PRESENCE_TEXT.offline}
          </option>
        )}
      </select>
      {error && (
        <span class="error" id="presence-error">
          {error}
        </span>
      )}
    </span>
  );
}
