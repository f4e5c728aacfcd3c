// The pre-chat form an owner may ask visitors to fill before their first message, the email asked
// while nobody is online, and the privacy notice a visitor may have to agree to: the check of a
// visitor's answers, shared by the server (which trusts nothing the widget sends) and the widget (which
// says what is missing before sending). The settings' schema is in policy/schema.ts; this module has
// no zod, so the widget's panel can carry it.

import { emailProblem, hiddenCharacterProblem, type Conversation } from "./chat";
import { MAX_PRECHAT_ANSWER_CHARS } from "./limits";

/**
 * One field of the form. `name` and `email` come at most once each, with the widget's own words for
 * their label unless the owner gives one; `text` and `choice` are the owner's questions, labelled.
 */
export interface PrechatField {
  kind: "name" | "email" | "text" | "choice";
  label?: string | undefined;
  required: boolean;
  /** A choice's options, in the order shown. */
  options?: string[] | undefined;
}

/**
 * While nobody is online, the widget asks for an email with the message: the answer then goes there.
 * `off` asks for none (the visitor reads the answer on a later visit, as before).
 */
export type OfflineEmail = "required" | "optional" | "off";

/** What the owner chose, when nobody says: the address asked, never demanded. */
export const DEFAULT_OFFLINE_EMAIL: OfflineEmail = "optional";

/** An answer the agent reads beside the chat: the question as it was asked, and the visitor's answer. */
type PrechatAnswer = Conversation["answers"][number];

/** What a visitor told before the chat, checked: null for what they did not give. */
export interface Intake {
  name: string | null;
  email: string | null;
  answers: PrechatAnswer[];
  /** The version of the privacy notice the visitor agreed to, when the owner asks for agreement. */
  consentVersion: number | null;
}

/** Why one answer cannot be taken: the widget words `code` in the visitor's language; `message` is the server's English. */
export interface IntakeProblem {
  /** The field's index on the form, "email" for the email asked while nobody is online, or the consent box. */
  field: number | "email" | "consent";
  code: "required" | "email" | "choice" | "too_long" | "unreadable" | "consent";
  message: string;
}

export type IntakeResult = { ok: true; intake: Intake } | { ok: false; problem: IntakeProblem };

/** What the server knows when a chat starts: the form, whether nobody is online, and what the owner asks then. */
export interface IntakeRules {
  fields: readonly PrechatField[];
  away: boolean;
  offlineEmail: OfflineEmail;
  /** The privacy notice's version a visitor must agree to before starting; null when none is asked. */
  consentVersion: number | null;
}

/** The privacy notice as the verdict's config carries it (policy/widget-look.ts). */
export interface PrivacyLook {
  text: string;
  url?: string;
  /** Present (true) when the visitor must tick a box to start. */
  requireConsent?: true;
  version: number;
}

/** What the widget sends with a new chat: one answer per field of the form ("" for none), and the offline email. */
export interface IntakeInput {
  prechat?: { answers: readonly string[] } | undefined;
  email?: string | undefined;
  /** The privacy notice's version the visitor agreed to. */
  consent?: { version: number } | undefined;
}

/**
 * What a new chat asks of the visitor under the verdict's config (the form's fields, the offline email
 * when not the default), `away` when no agent is online.
 */
export function intakeRulesOf(
  config: { prechat?: PrechatField[]; offlineEmail?: OfflineEmail; privacy?: PrivacyLook },
  away: boolean,
): IntakeRules {
  return {
    fields: config.prechat ?? [],
    away,
    offlineEmail: config.offlineEmail ?? DEFAULT_OFFLINE_EMAIL,
    consentVersion: config.privacy?.requireConsent ? config.privacy.version : null,
  };
}

/** Whether the form asks for an email itself: then the offline email is not asked again. */
const asksEmail = (fields: readonly PrechatField[]) => fields.some((field) => field.kind === "email");

/** Whether, under `rules`, the widget asks for an email beside the message (nobody online, the form asks none). */
export function asksOfflineEmail({ fields, away, offlineEmail }: IntakeRules): boolean {
  return away && offlineEmail !== "off" && !asksEmail(fields);
}

/** The English name of a field in a message: its label, or the widget's word for a name or an email. */
function fieldName(field: PrechatField): string {
  return field.label ?? (field.kind === "email" ? "Email" : "Name");
}

/**
 * Checks a visitor's answers against the form and the offline email, in the order the fields are shown;
 * the first problem found is the one reported. Answers are trimmed; emails also lower-cased.
 * @example readIntake({ fields: [{ kind: "email", required: true }], away: false, offlineEmail: "off" }, { prechat: { answers: ["Ada@Example.com "] } })
 *   // { ok: true, intake: { name: null, email: "ada@example.com", answers: [] } }
 */
export function readIntake(rules: IntakeRules, input: IntakeInput): IntakeResult {
  const intake: Intake = { name: null, email: null, answers: [], consentVersion: null };
  const given = input.prechat?.answers ?? [];
  for (const [index, field] of rules.fields.entries()) {
    const value = (given[index] ?? "").trim();
    const problem = answerProblem(field, value);
    if (problem) return { ok: false, problem: { field: index, ...problem } };
    if (value === "") continue;
    if (field.kind === "name") intake.name = value;
    else if (field.kind === "email") intake.email = value.toLowerCase();
    else intake.answers.push({ label: fieldName(field), value });
  }
  if (rules.consentVersion !== null) {
    // Agreed to this notice, not an older one the page had when it loaded.
    if (input.consent?.version !== rules.consentVersion)
      return {
        ok: false,
        problem: { field: "consent", code: "consent", message: "Agree to the privacy notice to start the chat." },
      };
    intake.consentVersion = rules.consentVersion;
  }
  if (!asksOfflineEmail(rules)) return { ok: true, intake };
  const email = (input.email ?? "").trim().toLowerCase();
  if (email === "" && rules.offlineEmail === "required")
    return {
      ok: false,
      problem: { field: "email", code: "required", message: "Email is required: the answer goes there." },
    };
  const problem = email === "" ? null : emailProblem(email);
  if (problem) return { ok: false, problem: { field: "email", code: "email", message: problem } };
  if (email !== "") intake.email = email;
  return { ok: true, intake };
}

function answerProblem(field: PrechatField, value: string): Omit<IntakeProblem, "field"> | null {
  const name = fieldName(field);
  if (value === "")
    return field.required ? { code: "required", message: `${name} is required: answer it to start the chat.` } : null;
  if (field.kind === "email") {
    const problem = emailProblem(value.toLowerCase());
    return problem ? { code: "email", message: `${name}: ${problem}` } : null;
  }
  if (field.kind === "choice")
    return field.options?.includes(value)
      ? null
      : { code: "choice", message: `${name} is one of: ${(field.options ?? []).join(", ")}.` };
  if ([...value].length > MAX_PRECHAT_ANSWER_CHARS)
    return { code: "too_long", message: `${name} is at most ${MAX_PRECHAT_ANSWER_CHARS} characters.` };
  const hidden = hiddenCharacterProblem(value, name);
  return hidden ? { code: "unreadable", message: hidden } : null;
}
