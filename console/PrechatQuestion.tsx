// One of the owner's own questions on the form before the chat: its words, whether it is answered in
// words or by picking an option (one per line here), whether it is required, and its removal.

import { useState } from "preact/hooks";
import { MAX_CHOICE_OPTION_CHARS, MAX_CHOICE_OPTIONS, MAX_PRECHAT_LABEL_CHARS } from "../policy/limits";
import type { PrechatField } from "../policy/prechat";
import { TextField } from "./TextField";

/** The server's messages on one question, keyed by what they are about. */
export interface QuestionErrors {
  label?: string | undefined;
  options?: string | undefined;
  /** Any other message on the question. */
  other?: string | undefined;
}

const KINDS: ["text" | "choice", string][] = [
  ["text", "Text"],
  ["choice", "Choice"],
];

/** The options typed one per line: trimmed, without blank lines. */
const optionsOf = (text: string): string[] =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item, index) => item === b[index]);

export function PrechatQuestion({
  index,
  value,
  onChange,
  onRemove,
  errors,
}: {
  /** Its place among the owner's questions, from 0. */
  index: number;
  value: PrechatField;
  onChange(value: PrechatField): void;
  onRemove(): void;
  errors: QuestionErrors;
}) {
  const id = `prechat-question-${index}`;
  const options = value.options ?? [];
  // The options as typed, so that a new line stays while it is empty; another question's options, after
  // a removal moved this one, are shown as stored.
  const [typed, setTyped] = useState<string | null>(null);
  const optionsText = typed !== null && sameList(optionsOf(typed), options) ? typed : options.join("\n");
  const setKind = (kind: "text" | "choice") => {
    if (kind === value.kind) return;
    const { options: _dropped, ...rest } = value;
    onChange(kind === "choice" ? { ...rest, kind, options: [] } : { ...rest, kind });
  };
  return (
    <fieldset class="prechat-question">
      <legend>Question {index + 1}</legend>
      <TextField
        id={`${id}-label`}
        label="Question"
        value={value.label ?? ""}
        onInput={(label) => {
          const { label: _old, ...rest } = value;
          onChange(label === "" ? rest : { ...rest, label });
        }}
        maxLength={MAX_PRECHAT_LABEL_CHARS}
        hint="The words the visitor reads above the answer."
        error={errors.label}
      />
      <div role="radiogroup" aria-label="Answered with">
        {KINDS.map(([kind, text]) => (
          <label key={kind}>
            <input type="radio" name={`${id}-kind`} checked={value.kind === kind} onChange={() => setKind(kind)} />{" "}
            {text}
            <span class="hint">
              {" "}
              — {kind === "text" ? "the visitor writes the answer" : "the visitor picks one option"}
            </span>
          </label>
        ))}
      </div>
      {value.kind === "choice" && (
        <TextField
          id={`${id}-options`}
          label="Options"
          value={optionsText}
          onInput={(text) => {
            setTyped(text);
            onChange({ ...value, options: optionsOf(text) });
          }}
          multiline
          rows={4}
          hint={`One option per line: from 2 to ${MAX_CHOICE_OPTIONS}, each at most ${MAX_CHOICE_OPTION_CHARS} characters.`}
          error={errors.options}
        />
      )}
      <label>
        <input
          type="checkbox"
          checked={value.required}
          onChange={(event) => onChange({ ...value, required: event.currentTarget.checked })}
        />{" "}
        Required
      </label>
      {errors.other && <p class="error">{errors.other}</p>}
      <p>
        <button type="button" class="secondary" onClick={onRemove} aria-label={`Remove question ${index + 1}`}>
          Remove
        </button>
      </p>
    </fieldset>
  );
}
