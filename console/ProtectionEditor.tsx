// Automatic protection: the limits past which Hatch bans a visitor by itself, and the proof-of-work gate
// for an account under attack. A number never saved, or emptied, follows Hatch's default.

import { useState } from "preact/hooks";
import { labelOf } from "../policy/field-labels";
import { DEFAULT_PROTECTION } from "../policy/schema";
import { TextField } from "./TextField";
import type { PolicyDocument } from "./types";

type Stored = NonNullable<PolicyDocument["protection"]>;
type Limit = "chatsPerHour" | "messagesPerMinute" | "spamCloses" | "banMinutes" | "challengeDifficulty";

const BANS: [Limit, string][] = [
  ["chatsPerHour", "A visitor who opens more chats in an hour is banned."],
  ["messagesPerMinute", "A visitor who sends more messages in a minute is banned."],
  ["spamCloses", "Counted over a day, for one browser."],
  ["banMinutes", "Remove a ban's rules to lift it sooner."],
];
const DIFFICULTY: [Limit, string] = [
  "challengeDifficulty",
  "At the default a visitor's browser works about a second on a mid-range phone; the work grows with the number.",
];

/** The policy's error fields this editor shows beside their inputs. */
export const PROTECTION_FIELDS = [...BANS, DIFFICULTY].map(([limit]) => `protection.${limit}`);

export function ProtectionEditor({
  value,
  onChange,
  readOnly,
  errors,
}: {
  value: Stored | undefined;
  onChange(next: Stored): void;
  readOnly: boolean;
  /** The policy's field errors, keyed as the server names them (`protection.banMinutes`). */
  errors: Record<string, string>;
}) {
  const stored = value ?? {};
  const shown = { ...DEFAULT_PROTECTION, ...stored };
  // What is typed: an emptied field stays empty (its default applies) instead of snapping back.
  const [texts, setTexts] = useState<Partial<Record<Limit, string>>>({});

  const number = ([limit, hint]: [Limit, string]) => (
    <TextField
      key={limit}
      id={`protection-${limit}`}
      label={labelOf(`protection.${limit}`)}
      type="number"
      value={texts[limit] ?? String(shown[limit])}
      onInput={(text) => {
        setTexts({ ...texts, [limit]: text });
        const next = { ...stored };
        // A wrong number is sent as typed, for the server's message on it.
        if (text.trim() === "") delete next[limit];
        else next[limit] = Number(text);
        onChange(next);
      }}
      error={errors[`protection.${limit}`]}
      hint={`${hint} Default: ${DEFAULT_PROTECTION[limit]}.`}
    />
  );

  return (
    <fieldset class="protection" id="protection" tabIndex={-1} disabled={readOnly}>
      <legend>Automatic protection</legend>
      <p class="hint">
        Past a limit, Hatch bans the visitor by itself for the ban length, with rules made by "Automatic protection" in
        the list above. Empty a number for its default.
      </p>
      {BANS.map(number)}
      <div class="field">
        <label>
          <input
            type="checkbox"
            checked={shown.challengeEveryone}
            aria-describedby="protection-everyone-hint"
            onChange={(event) => onChange({ ...stored, challengeEveryone: event.currentTarget.checked })}
          />{" "}
          {labelOf("protection.challengeEveryone")} (the account is under attack)
        </label>
        <p class="hint" id="protection-everyone-hint">
          Every visitor's browser solves a proof of work before their first message.
        </p>
      </div>
      {number(DIFFICULTY)}
    </fieldset>
  );
}
