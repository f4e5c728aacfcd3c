// Screening: what Hatch does with what visitors write before an agent reads it (server/screening/):
// abusive words masked or the message held, the owner's own words and exceptions, card numbers
// masked, links defused, and the abusive messages that ban a visitor. Defaults are shown as chosen.

import { useState } from "preact/hooks";
import { labelOf } from "../policy/field-labels";
import { DEFAULT_SCREENING } from "../policy/schema";
import { TextField } from "./TextField";
import type { PolicyDocument } from "./types";

type Stored = NonNullable<PolicyDocument["screening"]>;

const ABUSE_CHOICES = [
  ["mask", "Mask them: the agent sees ••• and can show the words"],
  ["hold", "Hold the message: it waits in the chat's held list until an agent releases it"],
  ["off", "Off: show messages as written"],
] as const;

const LINK_CHOICES = [
  ["plain", "Show as text with the host they go to (nobody clicks by mistake)"],
  ["hold", "Hold messages with links until an agent releases them"],
  ["allow", "Clickable links, with the host they go to"],
] as const;

/** The policy's error fields this editor shows beside their inputs. */
export const SCREENING_FIELDS = ["abuse", "words", "allowed", "cards", "links", "abusiveMessages"].map(
  (field) => `screening.${field}`,
);

/** The first error of a list field: its own, or one of its entries' (`screening.words.2`). */
function listError(errors: Record<string, string>, field: string): string | undefined {
  const key = Object.keys(errors).find((name) => name === field || name.startsWith(`${field}.`));
  return key === undefined ? undefined : errors[key];
}

const linesOf = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");

export function ScreeningEditor({
  value,
  onChange,
  readOnly,
  errors,
}: {
  value: Stored | undefined;
  onChange(next: Stored): void;
  readOnly: boolean;
  errors: Record<string, string>;
}) {
  const stored = value ?? {};
  const shown = { ...DEFAULT_SCREENING, ...stored };
  // The lists as typed, so a blank line being written does not vanish under the cursor.
  const [lists, setLists] = useState({ words: shown.words.join("\n"), allowed: shown.allowed.join("\n") });
  const [count, setCount] = useState(String(shown.abusiveMessages));

  const list = (field: "words" | "allowed", hint: string) => (
    <TextField
      id={`screening-${field}`}
      label={labelOf(`screening.${field}`)}
      multiline
      rows={3}
      value={lists[field]}
      onInput={(text) => {
        setLists({ ...lists, [field]: text });
        onChange({ ...stored, [field]: linesOf(text) });
      }}
      error={listError(errors, `screening.${field}`)}
      hint={hint}
    />
  );

  return (
    <fieldset class="screening" id="screening" tabIndex={-1} disabled={readOnly}>
      <legend>Screening</legend>
      <p class="hint">
        Decided on the server before anyone reads a message, and kept with it. Visitors are not told. Agents' own
        messages are not screened.
      </p>
      <div class="field">
        <label for="screening-abuse">{labelOf("screening.abuse")}</label>
        <select
          id="screening-abuse"
          value={shown.abuse}
          onChange={(event) => onChange({ ...stored, abuse: event.currentTarget.value as Stored["abuse"] })}
        >
          {ABUSE_CHOICES.map(([choice, text]) => (
            <option key={choice} value={choice}>
              {text}
            </option>
          ))}
        </select>
      </div>
      {list("words", "One word or phrase a line, treated as abuse besides the ones Hatch knows.")}
      {list("allowed", "One a line: never treated as abuse (a place or a name that looks like a bad word).")}
      <TextField
        id="screening-abusiveMessages"
        label={labelOf("screening.abusiveMessages")}
        type="number"
        value={count}
        onInput={(text) => {
          setCount(text);
          const next = { ...stored };
          if (text.trim() === "") delete next.abusiveMessages;
          else next.abusiveMessages = Number(text);
          onChange(next);
        }}
        error={errors["screening.abusiveMessages"]}
        hint={`Within an hour, from one visitor; 0 never bans. Default: ${DEFAULT_SCREENING.abusiveMessages}.`}
      />
      <div class="field">
        <label>
          <input
            type="checkbox"
            checked={shown.cards}
            onChange={(event) => onChange({ ...stored, cards: event.currentTarget.checked })}
          />{" "}
          {labelOf("screening.cards")}: agents see only the last four digits, in chats, mail and webhooks
        </label>
      </div>
      <div class="field">
        <label for="screening-links">{labelOf("screening.links")}</label>
        <select
          id="screening-links"
          value={shown.links}
          onChange={(event) => onChange({ ...stored, links: event.currentTarget.value as Stored["links"] })}
        >
          {LINK_CHOICES.map(([choice, text]) => (
            <option key={choice} value={choice}>
              {text}
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  );
}
