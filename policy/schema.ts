// The zod schemas of the policy document, of IP rule input and of a chat message; types are inferred from them.
// zod/mini keeps these light enough for the console; the widget imports only types from here (erased, no zod).

import { labelOf } from "./field-labels";
import * as z from "zod/mini";
import type { RuleAuthor } from "./rules";
import { HIDDEN_CHARACTER_CLASSES, hiddenCharacterProblem } from "./chat";
import { CATEGORIES, DEFAULT_MAX_FILE_BYTES, PRESETS } from "./file-category";
import { COUNTRY_MODES, countryCodeError } from "./country";
import { LANGUAGE_CODES } from "./languages";

import { websitePatternSchema } from "./website";
import {
  MAX_COMMENT_CHARS,
  MAX_MESSAGE_CHARS,
  MAX_RULE_LINES,
  MAX_RULE_LINE_CHARS,
  MAX_SHORTCUT_CHARS,
  MAX_UPLOAD_BYTES_LIMIT,
  MAX_WEBSITE_PATTERNS,
  MAX_BUTTON_LABEL_CHARS,
  MAX_GREETING_CHARS,
  MAX_TEAM_NAME_CHARS,
  MAX_WIDGET_OFFSET_PX,
  MAX_PRECHAT_QUESTIONS,
  MAX_PRECHAT_LABEL_CHARS,
  MAX_CHOICE_OPTIONS,
  MAX_CHOICE_OPTION_CHARS,
  MAX_SCREENING_WORDS,
  MAX_SCREENING_WORD_CHARS,
  MAX_PRIVACY_TEXT_CHARS,
  MAX_PRIVACY_URL_CHARS,
  MAX_PRIVACY_VERSION,
  MAX_RETENTION_DAYS,
} from "./limits";
import type { PrechatField } from "./prechat";

/** One ISO 3166-1 alpha-2 code (or XK), in capitals. */
export const countryCodeSchema = z.string().check(
  z.refine((code) => countryCodeError(code) === null, {
    error: (issue) => countryCodeError(String(issue.input)) ?? "Not a country code.",
  }),
);

const uniqueList = <T>(items: readonly T[]) => new Set(items).size === items.length;

const countriesSchema = z.strictObject({
  mode: z.enum(COUNTRY_MODES),
  list: z
    .array(countryCodeSchema)
    .check(
      z.maxLength(300, "List at most 300 countries."),
      z.refine(uniqueList, "Each country may be listed only once."),
    ),
  unknown: z.optional(z.enum(["show", "hide"])),
});

const patternList = z
  .array(websitePatternSchema)
  .check(z.maxLength(MAX_WEBSITE_PATTERNS, `List at most ${MAX_WEBSITE_PATTERNS} patterns.`));

const websitesSchema = z.strictObject({
  allowed: patternList,
  blocked: patternList,
});

const filesSchema = z.strictObject({
  categories: z.array(z.enum(CATEGORIES)).check(z.refine(uniqueList, "Each category may be listed only once.")),
  maxBytes: z
    .number()
    .check(
      z.int("The size limit is a whole number of bytes."),
      z.minimum(1, "The size limit must be at least 1 byte."),
      z.maximum(MAX_UPLOAD_BYTES_LIMIT, `The size limit can be at most ${MAX_UPLOAD_BYTES_LIMIT} bytes (100 MiB).`),
    ),
});

/**
 * What a network switch does to visitors from such a network: nothing, hide the chat, or show it
 * behind a proof of work (the ticket route asks for one before the first message).
 */
const networkMode = z.enum(["off", "hide", "challenge"], {
  error: 'A network switch is "off", "hide" or "challenge".',
});

const networksSchema = z.strictObject({
  /** Hosting, cloud and VPN-infrastructure networks (policy/hosting.ts). */
  hosting: networkMode,
  /** Tor exits, from the operator's TOR_EXIT_LIST. */
  tor: networkMode,
});

/** A whole number in [min, max], its messages naming the field by its label in the console. */
const wholeBetween = (field: string, min: number, max: number, name = labelOf(field)) =>
  z
    .number({ error: `${name} is a whole number from ${min} to ${max}.` })
    .check(
      z.int(`${name} is a whole number from ${min} to ${max}.`),
      z.minimum(min, `${name} is at least ${min}.`),
      z.maximum(max, `${name} is at most ${max}.`),
    );

/**
 * The proof of work's difficulty: ALTCHA's `maxnumber`, the largest number the secret may be; a
 * visitor hashes half of it on average, one Web Crypto digest each. bench/challenge.ts measures the
 * widget's solver in headless Chromium: 32k hashes a second on this 2-core VM under load, about three
 * times that on an idle desktop; a mid-range phone manages roughly the loaded figure. 25,000 hashes
 * on average is then about a second on such a phone, and a script pays it on every chat it opens.
 */
const DEFAULT_CHALLENGE_DIFFICULTY = 50_000;

/**
 * Automatic protection. Every field may be left out and takes its default, so accounts made before
 * it existed are protected without saving anything. The defaults follow the peers' figures: Chatwoot
 * lets one address open 6 widget chats in 12 hours, so 6 an hour leaves room for a real visitor
 * with several questions; 20 messages a minute is a message every 3 s, faster than anyone types but
 * slower than a script; two chats closed as spam in a day is a pattern, one may be a mistake; an
 * hour's ban outlasts a flood without punishing a shared address for long.
 */
const protectionSchema = z.strictObject({
  chatsPerHour: z.optional(wholeBetween("protection.chatsPerHour", 1, 1000)),
  messagesPerMinute: z.optional(wholeBetween("protection.messagesPerMinute", 1, 1000)),
  spamCloses: z.optional(wholeBetween("protection.spamCloses", 1, 100)),
  banMinutes: z.optional(wholeBetween("protection.banMinutes", 1, 30 * 24 * 60)),
  /** An account under attack: every visitor proves work before their first message. */
  challengeEveryone: z.optional(z.boolean({ error: `${labelOf("protection.challengeEveryone")} is on or off.` })),
  challengeDifficulty: z.optional(wholeBetween("protection.challengeDifficulty", 1_000, 10_000_000)),
});

export type Protection = Required<z.infer<typeof protectionSchema>>;

export const DEFAULT_PROTECTION: Protection = {
  chatsPerHour: 6,
  messagesPerMinute: 20,
  spamCloses: 2,
  banMinutes: 60,
  challengeEveryone: false,
  challengeDifficulty: DEFAULT_CHALLENGE_DIFFICULTY,
};

const screeningWord = (field: string) =>
  z.string().check(
    z.trim(),
    z.minLength(1, `${labelOf(field)}: an entry is empty; remove it.`),
    z.maxLength(
      MAX_SCREENING_WORD_CHARS,
      `${labelOf(field)}: an entry has at most ${MAX_SCREENING_WORD_CHARS} characters.`,
    ),
    z.refine((word) => !HIDDEN_CHARACTER.test(word), `${labelOf(field)}: an entry holds an invisible character.`),
  );

const screeningWords = (field: string) =>
  z
    .array(screeningWord(field))
    .check(z.maxLength(MAX_SCREENING_WORDS, `${labelOf(field)}: list at most ${MAX_SCREENING_WORDS}.`));

/**
 * What is done with what visitors write (server/screening/): abusive words masked for agents or the
 * message held until an agent releases it, card numbers masked to their last four, links shown as
 * text (or held, or clickable), and a visitor banned after `abusiveMessages` abusive messages in an
 * hour (0: never). Every field may be left out and takes its default.
 */
const screeningSchema = z.strictObject({
  abuse: z.optional(
    z.enum(["off", "mask", "hold"], { error: `${labelOf("screening.abuse")} is "off", "mask" or "hold".` }),
  ),
  words: z.optional(screeningWords("screening.words")),
  allowed: z.optional(screeningWords("screening.allowed")),
  cards: z.optional(z.boolean({ error: `${labelOf("screening.cards")} is on or off.` })),
  links: z.optional(
    z.enum(["plain", "hold", "allow"], { error: `${labelOf("screening.links")} is "plain", "hold" or "allow".` }),
  ),
  abusiveMessages: z.optional(wholeBetween("screening.abusiveMessages", 0, 100)),
});

export type Screening = Required<z.infer<typeof screeningSchema>>;

export const DEFAULT_SCREENING: Screening = {
  abuse: "mask",
  words: [],
  allowed: [],
  cards: true,
  links: "plain",
  abusiveMessages: 3,
};

/**
 * Text the owner shows visitors in the widget, trimmed: not empty (leave the field out for none), at
 * most `max` characters, nothing hidden or control (a greeting may break lines).
 */
const visitorFacingText = (field: string, max: number, { lines = false, empty = "leave it out for none" } = {}) => {
  const name = labelOf(field);
  const problem = (text: string) =>
    (lines ? text.split("\n") : [text]).map((line) => hiddenCharacterProblem(line, name)).find(Boolean) ?? null;
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${name} is missing: ${empty}.` : `${name} is text.`) })
    .check(
      z.trim(),
      z.minLength(1, `${name} is empty: ${empty}.`),
      z.maxLength(max, `${name} is at most ${max} characters.`),
      z.refine((text) => problem(text) === null, {
        error: (issue) => problem(String(issue.input)) ?? `${name} cannot be shown as it is.`,
      }),
    );
};

const OFFSET_MESSAGE = `${labelOf("window.offset")} is two whole numbers of pixels from 0 to ${MAX_WIDGET_OFFSET_PX}: across, then up.`;
const offsetPx = z
  .number({ error: OFFSET_MESSAGE })
  .check(z.int(OFFSET_MESSAGE), z.minimum(0, OFFSET_MESSAGE), z.maximum(MAX_WIDGET_OFFSET_PX, OFFSET_MESSAGE));

/**
 * The widget's look (DESIGN.md, "The widget's look and forms"); each field left out keeps the look
 * every site had before. `label` null or absent: the button shows only its icon.
 */
const lookFields = {
  accent: z.optional(
    z
      .string({ error: `${labelOf("window.accent")} is a hex colour like #0b57d0.` })
      .check(
        z.trim(),
        z.toLowerCase(),
        z.regex(/^#[0-9a-f]{6}$/, `${labelOf("window.accent")} is a hex colour like #0b57d0.`),
      ),
  ),
  position: z.optional(
    z.enum(["right", "left"], { error: `${labelOf("window.position")} is "right" or "left" (bottom right or left).` }),
  ),
  offset: z.optional(z.tuple([offsetPx, offsetPx], { error: OFFSET_MESSAGE })),
  label: z.optional(
    z.nullable(visitorFacingText("window.label", MAX_BUTTON_LABEL_CHARS, { empty: "null shows the icon only" })),
  ),
  greeting: z.optional(visitorFacingText("window.greeting", MAX_GREETING_CHARS, { lines: true })),
  teamName: z.optional(visitorFacingText("window.teamName", MAX_TEAM_NAME_CHARS)),
  // An image uploaded with POST /api/v1/console/avatar; null or absent: none.
  avatar: z.optional(
    z.nullable(
      z
        .string()
        .check(z.regex(/^file_[A-Za-z0-9_-]{16}$/, `${labelOf("window.avatar")} is a file id an avatar upload gave.`)),
    ),
  ),
  scheme: z.optional(
    z.enum(["auto", "light", "dark"], {
      error: `${labelOf("window.scheme")} is "auto" (the visitor's device decides), "light" or "dark".`,
    }),
  ),
};

const prechatFieldSchema = z.strictObject({
  kind: z.enum(["name", "email", "text", "choice"], {
    error: 'A pre-chat field\'s kind is "name", "email", "text" (a question answered in words) or "choice".',
  }),
  label: z.optional(visitorFacingText("window.prechat.label", MAX_PRECHAT_LABEL_CHARS)),
  required: z.boolean({ error: "A pre-chat field's required is true or false." }),
  options: z.optional(
    z
      .array(visitorFacingText("window.prechat.option", MAX_CHOICE_OPTION_CHARS))
      .check(
        z.minLength(2, "A choice has at least 2 options."),
        z.maxLength(MAX_CHOICE_OPTIONS, `A choice has at most ${MAX_CHOICE_OPTIONS} options.`),
        z.refine(uniqueList, "A choice's options are different from each other."),
      ),
  ),
});

/** Why a form's fields do not make a form a visitor can fill, or null. */
function prechatProblem(fields: readonly PrechatField[]): string | null {
  const count = (kinds: readonly PrechatField["kind"][]) => fields.filter((field) => kinds.includes(field.kind)).length;
  if (count(["name"]) > 1) return "The pre-chat form asks for the name once.";
  if (count(["email"]) > 1) return "The pre-chat form asks for the email once.";
  if (count(["text", "choice"]) > MAX_PRECHAT_QUESTIONS)
    return `The pre-chat form has at most ${MAX_PRECHAT_QUESTIONS} questions beside name and email.`;
  const unlabelled = fields.find((field) => (field.kind === "text" || field.kind === "choice") && !field.label);
  if (unlabelled) return `A ${unlabelled.kind} question needs its label: the words the visitor answers.`;
  const choice = fields.find((field) => field.kind === "choice" && !field.options);
  if (choice) return `The choice "${choice.label}" needs its options: at least 2.`;
  const stray = fields.find((field) => field.kind !== "choice" && field.options);
  if (stray) return `Only a choice has options; the ${stray.kind} field has some: remove them.`;
  return null;
}

/**
 * The pre-chat form (DESIGN.md, "The widget's look and forms"): null, absent or no fields, no form.
 * What a visitor answers is checked against it by policy/prechat.ts.
 */
const prechatSchema = z.nullable(
  z.strictObject({
    fields: z.array(prechatFieldSchema).check(
      z.refine((fields) => prechatProblem(fields) === null, {
        error: (issue) => prechatProblem(issue.input as PrechatField[]) ?? "The pre-chat form cannot be shown.",
      }),
    ),
  }),
);

/**
 * A link visitors open from the widget: a web page's full address (http or https, a host, no spaces or
 * user name in it), nothing a browser would run. A pattern, as policy/ has no URL parser of its own.
 */
const WEB_PAGE_URL = /^https?:\/\/[^\s/?#@\\]+(?:[/?#][^\s]*)?$/i;

const webPageUrl = (field: string) =>
  z
    .string({ error: `${labelOf(field)} is a web address.` })
    .check(
      z.trim(),
      z.maxLength(MAX_PRIVACY_URL_CHARS, `${labelOf(field)} is at most ${MAX_PRIVACY_URL_CHARS} characters.`),
      z.regex(WEB_PAGE_URL, `${labelOf(field)} is a web page's full address, like https://example.com/privacy.`),
    );

/**
 * The privacy notice the widget shows before a visitor's first message: the owner's words as written
 * and a link to their policy; with `requireConsent`, a box the visitor ticks to start, whose acceptance
 * is stored with the chat together with `version` (raise it when the notice changes).
 */
const privacySchema = z.strictObject({
  text: visitorFacingText("window.privacy.text", MAX_PRIVACY_TEXT_CHARS, {
    lines: true,
    empty: "write the notice, or leave the privacy notice out",
  }),
  url: z.optional(webPageUrl("window.privacy.url")),
  requireConsent: z.optional(z.boolean({ error: `${labelOf("window.privacy.requireConsent")} is on or off.` })),
  version: z.optional(wholeBetween("window.privacy.version", 1, MAX_PRIVACY_VERSION)),
});

/**
 * Live Chat Window's settings beyond files. `language` absent: the widget follows the visitor's
 * browser. `away`, when no agent is online: hide the chat, or take messages (the default: a visitor
 * can always leave word, and reads the answer on a later visit).
 */
const windowSchema = z.strictObject({
  away: z.optional(
    z.enum(["hide", "messages"], { error: 'away is "hide" (no chat while no agent is online) or "messages".' }),
  ),
  language: z.optional(
    z.enum(LANGUAGE_CODES, {
      error: `language is one of ${LANGUAGE_CODES.join(", ")}, or left out to follow the visitor's browser.`,
    }),
  ),
  ...lookFields,
  prechat: z.optional(prechatSchema),
  offlineEmail: z.optional(
    z.enum(["required", "optional", "off"], {
      error: `${labelOf("window.offlineEmail")} is "required", "optional" or "off".`,
    }),
  ),
  privacy: z.optional(privacySchema),
});

/** A retention clock: days, or null for never. */
const retentionDays = (field: string) => z.nullable(wholeBetween(field, 1, MAX_RETENTION_DAYS));

/**
 * How long visitors' data is kept (server/retention/): closed chats with their messages and files
 * deleted after `deleteClosedChatsAfterDays` (null: kept), and the addresses kept with chats, their
 * events and the audit replaced by their network (/24, /48) after `anonymizeAddressesAfterDays`.
 */
const retentionSchema = z.strictObject({
  deleteClosedChatsAfterDays: z.optional(retentionDays("retention.deleteClosedChatsAfterDays")),
  anonymizeAddressesAfterDays: z.optional(retentionDays("retention.anonymizeAddressesAfterDays")),
});

export type Retention = Required<z.infer<typeof retentionSchema>>;

export const DEFAULT_RETENTION: Retention = { deleteClosedChatsAfterDays: null, anonymizeAddressesAfterDays: 30 };

/** What `GET /api/v1/console/policy` returns and `PUT` takes. `networks` absent: both off; `protection` absent: its defaults. */
export const policyDocumentSchema = z.strictObject({
  countries: countriesSchema,
  websites: websitesSchema,
  files: filesSchema,
  networks: z.optional(networksSchema),
  protection: z.optional(protectionSchema),
  screening: z.optional(screeningSchema),
  window: z.optional(windowSchema),
  retention: z.optional(retentionSchema),
  /** "network": agents read visitors' addresses as their network; owners, and blocks, keep the full one. */
  agentsSeeAddresses: z.optional(
    z.enum(["full", "network"], {
      error: `${labelOf("agentsSeeAddresses")} is "full" or "network" (the /24 or /48 the address is in).`,
    }),
  ),
});

/** The protection a document asks for, each field it leaves out at its default. */
export function protectionOf(doc: PolicyDocument): Protection {
  return { ...DEFAULT_PROTECTION, ...doc.protection };
}

/** The screening a document asks for, each field it leaves out at its default. */
export function screeningOf(doc: PolicyDocument): Screening {
  return { ...DEFAULT_SCREENING, ...doc.screening };
}

/** The retention a document asks for, each field it leaves out at its default. */
export function retentionOf(doc: PolicyDocument): Retention {
  return { ...DEFAULT_RETENTION, ...doc.retention };
}

export type NetworkSwitches = z.infer<typeof networksSchema>;
export type WindowSettings = z.infer<typeof windowSchema>;

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type FilePolicy = z.infer<typeof filesSchema>;

/** A new account: countries off, no website rules, the "no harmful files" preset, 10 MiB. */
export const DEFAULT_POLICY: PolicyDocument = {
  countries: { mode: "off", list: [] },
  websites: { allowed: [], blocked: [] },
  files: { categories: [...PRESETS.safe], maxBytes: DEFAULT_MAX_FILE_BYTES },
};

const HIDDEN_CHARACTER = /* @__PURE__ */ new RegExp(`[${HIDDEN_CHARACTER_CLASSES}]`, "u");

/**
 * A rule's comment, read by co-workers in the console and in exports: one line of what they can
 * see (no bidi override turns "spam" around, no line break fakes a second rule).
 */
export const ruleCommentSchema = z.string().check(
  z.trim(),
  z.maxLength(MAX_COMMENT_CHARS, `A comment is at most ${MAX_COMMENT_CHARS} characters.`),
  z.refine((text) => !HIDDEN_CHARACTER.test(text), {
    error:
      "A comment is one line of visible text: remove line breaks, control characters and invisible formatting (such as right-to-left overrides).",
  }),
);
const comment = ruleCommentSchema;

/**
 * A rule's expiry as every way in takes it (the API's `expiresAt`, a CSV's `expires`): ISO 8601 with
 * seconds and an offset, on a day the calendar has (zod refuses 2027-02-31, which Date.parse would
 * read as 3 March).
 */
export const expiryTimeSchema = z.iso.datetime({
  offset: true,
  error: "expiresAt must be an ISO 8601 date-time on a day the calendar has, e.g. 2026-12-31T23:59:00Z.",
});

/** `expiresAt` in a request: absent or null for never. */
export const expiresAtSchema = z.optional(z.nullable(expiryTimeSchema));

/** `POST /api/v1/console/ip-rules`: one or many lines of addresses and networks. */
export const ipRulesInputSchema = z.strictObject({
  text: z
    .string()
    .check(
      z.maxLength(MAX_RULE_LINES * (MAX_RULE_LINE_CHARS + 2), "That paste is too long: split it into smaller ones."),
    ),
  comment,
  expiresAt: expiresAtSchema,
});

/** A chat message as a visitor or an agent sends it: `{"text": …}`. */
export const messageInputSchema = z.strictObject({
  text: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, "Write a message first."),
      z.maxLength(MAX_MESSAGE_CHARS, `A message is at most ${MAX_MESSAGE_CHARS} characters.`),
    ),
});

/** Longer than any answer or email readIntake() takes: the shape is checked here, the answers there. */
const MAX_INTAKE_STRING_CHARS = 1_000;
const intakeString = (what: string) =>
  z
    .string({ error: `${what} is text.` })
    .check(z.maxLength(MAX_INTAKE_STRING_CHARS, `${what} is at most ${MAX_INTAKE_STRING_CHARS} characters.`));

/**
 * A new chat's body (`POST /api/v1/widget/:account/conversations`), all of it optional: the pre-chat
 * form's answers, one per field in the form's order ("" for none), and the email asked while nobody
 * is online. policy/prechat.ts checks them against the form.
 */
export const chatStartSchema = z.strictObject({
  prechat: z.optional(
    z.strictObject({
      answers: z
        .array(intakeString("An answer"))
        .check(
          z.maxLength(2 + MAX_PRECHAT_QUESTIONS, "The pre-chat form has fewer fields than that: reload the page."),
        ),
    }),
  ),
  email: z.optional(intakeString("The email")),
  /** The privacy notice's version the visitor agreed to. */
  consent: z.optional(
    z.strictObject({ version: wholeBetween("consent.version", 1, MAX_PRIVACY_VERSION, "consent.version") }),
  ),
});

/** `POST /api/v1/console/replies`: a canned reply, found in the answer box by typing "/" and its shortcut. */
export const cannedReplyInputSchema = z.strictObject({
  shortcut: z
    .string()
    .check(
      z.trim(),
      z.toLowerCase(),
      z.regex(
        new RegExp(`^[\\p{L}\\p{N}_-]{1,${MAX_SHORTCUT_CHARS}}$`, "u"),
        `A shortcut is 1 to ${MAX_SHORTCUT_CHARS} letters, digits, dashes or underscores, without spaces, like "refund".`,
      ),
    ),
  text: messageInputSchema.shape.text,
});

/** An IP rule as the API returns it. */
export interface IpRule {
  id: string;
  network: string;
  comment: string;
  createdBy: RuleAuthor;
  createdAt: string;
  expiresAt: string | null;
}
