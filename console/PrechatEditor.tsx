// "Before the chat" (Live Chat Window): the form a visitor fills before their first message — their
// name, their email, and up to MAX_PRECHAT_QUESTIONS questions of the owner's (policy/prechat.ts).
// Saved in the order shown: name, email, then the questions; a form with no fields is left out.

import { MAX_PRECHAT_QUESTIONS } from "../policy/limits";
import type { PrechatField } from "../policy/prechat";
import type { WindowSettings } from "../policy/schema";
import { PrechatQuestion, type QuestionErrors } from "./PrechatQuestion";

type Prechat = WindowSettings["prechat"];

/** The error fields of the form, as the server names them (`window.prechat.fields.2.label`). */
export const isPrechatError = (field: string): boolean =>
  field === "window.prechat" || field.startsWith("window.prechat.");

interface Form {
  name: PrechatField | null;
  email: PrechatField | null;
  questions: PrechatField[];
}

function formOf(prechat: Prechat): Form {
  const fields = prechat?.fields ?? [];
  return {
    name: fields.find((field) => field.kind === "name") ?? null,
    email: fields.find((field) => field.kind === "email") ?? null,
    questions: fields.filter((field) => field.kind === "text" || field.kind === "choice"),
  };
}

/** The form as saved: undefined (left out) when it asks nothing. */
function prechatOf({ name, email, questions }: Form): Prechat {
  const fields = [...(name ? [name] : []), ...(email ? [email] : []), ...questions];
  return fields.length > 0 ? { fields } : undefined;
}

/** The server's messages on the field at `at` of the saved form, each beside the input it is about. */
function questionErrors(errors: Record<string, string>, at: number): QuestionErrors {
  const prefix = `window.prechat.fields.${at}`;
  const about = (part: string) =>
    Object.entries(errors).find(
      ([field]) => field === `${prefix}.${part}` || field.startsWith(`${prefix}.${part}.`),
    )?.[1];
  const other = Object.entries(errors)
    .filter(([field]) => field === prefix || (field.startsWith(`${prefix}.`) && !/\.(label|options)(\.|$)/.test(field)))
    .map(([, text]) => text);
  return { label: about("label"), options: about("options"), other: other.join(" ") || undefined };
}

/** Name and email: asked or not, and if asked, required or not. */
function AskSwitch({
  kind,
  text,
  value,
  onChange,
}: {
  kind: "name" | "email";
  text: string;
  value: PrechatField | null;
  onChange(value: PrechatField | null): void;
}) {
  return (
    <div class="prechat-ask" role="group" aria-label={kind === "name" ? "Name" : "Email"}>
      <label>
        <input
          type="checkbox"
          checked={value !== null}
          onChange={(event) => onChange(event.currentTarget.checked ? { kind, required: false } : null)}
        />{" "}
        {text}
      </label>{" "}
      <label>
        <input
          type="checkbox"
          checked={value?.required ?? false}
          disabled={value === null}
          onChange={(event) => value && onChange({ ...value, required: event.currentTarget.checked })}
        />{" "}
        Required
      </label>
    </div>
  );
}

export function PrechatEditor({
  value,
  onChange,
  errors,
}: {
  value: Prechat;
  /** The new form; undefined when it asks nothing. */
  onChange(value: Prechat): void;
  /** The policy's field errors, keyed as the server names them. */
  errors: Record<string, string>;
}) {
  const form = formOf(value);
  const fields = value?.fields ?? [];
  const set = (next: Partial<Form>) => onChange(prechatOf({ ...form, ...next }));
  const setQuestion = (index: number, question: PrechatField | null) =>
    set({
      questions: form.questions.flatMap((old, at) => (at !== index ? [old] : question ? [question] : [])),
    });
  // Messages on a question sit beside it; the rest (on the whole form, or on a field not shown) below.
  const placed = new Set<string>();
  const errorsOf = (question: PrechatField) => {
    const at = fields.indexOf(question);
    const prefix = `window.prechat.fields.${at}`;
    for (const field of Object.keys(errors)) if (field === prefix || field.startsWith(`${prefix}.`)) placed.add(field);
    return questionErrors(errors, at);
  };
  const questions = form.questions.map((question, index) => (
    <PrechatQuestion
      key={index}
      index={index}
      value={question}
      onChange={(next) => setQuestion(index, next)}
      onRemove={() => setQuestion(index, null)}
      errors={errorsOf(question)}
    />
  ));
  const rest = Object.entries(errors)
    .filter(([field]) => isPrechatError(field) && !placed.has(field))
    .map(([, text]) => text);
  const full = form.questions.length >= MAX_PRECHAT_QUESTIONS;
  return (
    <fieldset class="prechat">
      <legend>Before the chat</legend>
      <p class="hint">
        What visitors fill in before their first message. Nothing asked: they write straight away. You read the answers
        beside the chat.
      </p>
      <AskSwitch kind="name" text="Ask for the visitor's name" value={form.name} onChange={(name) => set({ name })} />
      <AskSwitch kind="email" text="Ask for an email" value={form.email} onChange={(email) => set({ email })} />
      {questions}
      <p>
        <button
          type="button"
          class="secondary"
          disabled={full}
          aria-describedby="prechat-add-hint"
          onClick={() => set({ questions: [...form.questions, { kind: "text", required: false }] })}
        >
          Add a question
        </button>{" "}
        <span class="hint" id="prechat-add-hint">
          {full
            ? `At most ${MAX_PRECHAT_QUESTIONS} questions.`
            : `Up to ${MAX_PRECHAT_QUESTIONS} questions of your own.`}
        </span>
      </p>
      {rest.length > 0 && <p class="error">{rest.join(" ")}</p>}
    </fieldset>
  );
}
