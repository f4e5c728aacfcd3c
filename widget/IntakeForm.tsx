// The form in place of the composer before a chat starts: the owner's pre-chat fields, the email asked
// while nobody is online, the box that agrees to the privacy notice, and the first message. Checked
// here with the server's own rules (policy/prechat.ts), so a visitor learns what is missing before
// anything is sent; the server checks again.

import { useRef, useState } from "preact/hooks";
import { MAX_MESSAGE_CHARS, MAX_PRECHAT_ANSWER_CHARS } from "../policy/limits";
import {
  asksOfflineEmail,
  readIntake,
  type IntakeInput,
  type IntakeProblem,
  type IntakeRules,
  type PrechatField,
} from "../policy/prechat";
import type { TextKey } from "./i18n/en";
import type { Translator } from "./i18n/translator";

export interface IntakeFormProps {
  rules: IntakeRules;
  busy: boolean;
  t: Translator;
  /** Starts the chat with the answers and sends the message; resolves true once both are done. */
  onBegin(intake: IntakeInput, text: string): Promise<boolean>;
}

/** The field a problem is about: a field's index, "email", or the message. */
type FieldKey = IntakeProblem["field"] | "message";

const PROBLEM_TEXT: Record<IntakeProblem["code"], TextKey> = {
  required: "form.required",
  email: "form.invalidEmail",
  choice: "form.choice",
  too_long: "form.tooLong",
  unreadable: "form.unreadable",
  consent: "form.consent",
};

/** An address is at most 254 octets (policy/chat.ts checks the bytes; this stops typing far past them). */
const MAX_EMAIL_CHARS = 254;

const idOf = (field: FieldKey) => `hatch-form-${field}`;

/** The form; the first field with a problem gets the focus and says what is wrong under it. */
export function IntakeForm({ rules, busy, t, onBegin }: IntakeFormProps) {
  const [answers, setAnswers] = useState<string[]>(() => rules.fields.map(() => ""));
  const [email, setEmail] = useState("");
  const [text, setText] = useState("");
  const [agreed, setAgreed] = useState(false);
  const [problem, setProblem] = useState<{ field: FieldKey; key: TextKey } | null>(null);
  const asksEmail = asksOfflineEmail(rules);
  // The fields live in the widget's shadow root: found through the form, not the document.
  const form = useRef<HTMLFormElement>(null);

  function check(): IntakeInput | null {
    const consent = rules.consentVersion !== null && agreed ? { version: rules.consentVersion } : undefined;
    const input: IntakeInput = { prechat: { answers }, ...(asksEmail && { email }), consent };
    const result = readIntake(rules, input);
    const found = !result.ok
      ? { field: result.problem.field, key: PROBLEM_TEXT[result.problem.code] }
      : text.trim() === ""
        ? { field: "message" as const, key: "form.noMessage" as const }
        : null;
    setProblem(found);
    if (found) form.current?.querySelector<HTMLElement>(`#${idOf(found.field)}`)?.focus();
    if (found) return null;
    return {
      ...(rules.fields.length > 0 && { prechat: { answers } }),
      ...(asksEmail && email.trim() && { email }),
      ...(consent && { consent }),
    };
  }

  async function submit(event: Event) {
    event.preventDefault();
    const intake = check();
    if (intake && (await onBegin(intake, text))) setText("");
  }

  /** The label, the hint that a field may be left empty, and the problem said under it. */
  const described = (field: FieldKey, label: string, required: boolean) => ({
    label: required ? label : `${label} ${t.text("form.optional")}`,
    error: problem?.field === field ? t.text(problem.key) : null,
  });

  return (
    <form ref={form} class="intake" noValidate onSubmit={(event) => void submit(event)}>
      {rules.fields.map((field, index) => (
        <Field
          key={index}
          id={idOf(index)}
          first={index === 0}
          {...described(index, labelOf(field, t), field.required)}
          kind={field.kind}
          options={field.options}
          chooseText={t.text("form.choose")}
          value={answers[index] ?? ""}
          onInput={(value) => setAnswers(answers.map((answer, at) => (at === index ? value : answer)))}
        />
      ))}
      {asksEmail && (
        <Field
          id={idOf("email")}
          first={rules.fields.length === 0}
          {...described("email", t.text("form.offlineEmail"), rules.offlineEmail === "required")}
          kind="email"
          value={email}
          onInput={setEmail}
        />
      )}
      {rules.consentVersion !== null && (
        <div class="form-field consent">
          <label>
            <input
              id={idOf("consent")}
              type="checkbox"
              checked={agreed}
              aria-invalid={problem?.field === "consent"}
              aria-describedby={problem?.field === "consent" ? `${idOf("consent")}-error` : undefined}
              onChange={(event) => setAgreed(event.currentTarget.checked)}
            />{" "}
            {t.text("privacy.agree")}
          </label>
          {problem?.field === "consent" && (
            <p id={`${idOf("consent")}-error`} class="form-error">
              {t.text(problem.key)}
            </p>
          )}
        </div>
      )}
      <Field
        id={idOf("message")}
        first={rules.fields.length === 0 && !asksEmail}
        {...described("message", t.text("composer.label"), true)}
        kind="message"
        value={text}
        onInput={setText}
      />
      <button type="submit" class="send" disabled={busy}>
        {t.text(rules.away ? "composer.send" : "form.start")}
      </button>
    </form>
  );
}

/** An owner's question in their words; a name or an email in the visitor's language unless the owner named it. */
function labelOf(field: PrechatField, t: Translator): string {
  return field.label ?? t.text(field.kind === "email" ? "form.email" : "form.name");
}

interface FieldProps {
  id: string;
  /** The first field: the one the panel focuses when it opens. */
  first: boolean;
  label: string;
  error: string | null;
  kind: PrechatField["kind"] | "message";
  options?: string[] | undefined;
  chooseText?: string;
  value: string;
  onInput(value: string): void;
}

function Field({ id, first, label, error, kind, options, chooseText, value, onInput }: FieldProps) {
  const common = {
    id,
    "data-autofocus": first || undefined,
    class: "field",
    value,
    "aria-invalid": error !== null,
    "aria-describedby": error === null ? undefined : `${id}-error`,
    onInput: (event: { currentTarget: { value: string } }) => onInput(event.currentTarget.value),
  };
  return (
    <div class="form-field">
      <label for={id} dir="auto">
        {label}
      </label>
      {kind === "choice" ? (
        <select {...common}>
          <option value="">{chooseText}</option>
          {options?.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      ) : kind === "message" ? (
        <textarea {...common} rows={3} maxLength={MAX_MESSAGE_CHARS} />
      ) : kind === "email" ? (
        <input {...common} type="email" autocomplete="email" maxLength={MAX_EMAIL_CHARS} />
      ) : (
        <input
          {...common}
          type="text"
          autocomplete={kind === "name" ? "name" : "off"}
          maxLength={MAX_PRECHAT_ANSWER_CHARS}
        />
      )}
      {error !== null && (
        <p id={`${id}-error`} class="form-error">
          {error}
        </p>
      )}
    </div>
  );
}
