// The chat's shapes as the console API sends them (conversations, messages and their files) and its limits.
// Shared so the server, the console and the widget agree on one definition.

import type { Category } from "./file-category";
import { MAX_DISPLAY_NAME_BYTES, MAX_DISPLAY_NAME_CHARS, MAX_MARKS_PER_CHARACTER } from "./limits";

/** An email address is at most 254 octets (RFC 5321 § 4.5.3.1.3, with RFC 3696's erratum). */
const MAX_EMAIL_BYTES = 254;

/**
 * Characters that show nothing or change how the text around them reads: controls (Cc, line breaks
 * among them), format characters (Cf: bidi overrides and isolates, zero-width spaces and joiners),
 * line and paragraph separators (Zl, Zp). U+202E shows "gnp.exe" as "exe.png" and "Ann" + U+202E +
 * "troppus" as "Annsupport". One definition for file names, display names and email addresses.
 */
export const HIDDEN_CHARACTER_CLASSES = "\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}";

/**
 * What a display name or an email address may not hold at all: the hidden characters, characters
 * Unicode says to draw as nothing (Default_Ignorable: Hangul fillers, word joiners; variation
 * selectors excepted, they choose a glyph and are counted as marks) and lone surrogates.
 */
// Pure: the widget imports this module for its constants and should not carry what it never calls.
const UNSHOWN = /* @__PURE__ */ new RegExp(
  `[${HIDDEN_CHARACTER_CLASSES}\\p{Cs}]|(?!\\p{Variation_Selector})\\p{Default_Ignorable_Code_Point}`,
  "u",
);

/**
 * Names that name no person but the team, the product or Hatch itself, compared after NFKD, in lower
 * case and without accents, spaces, punctuation or symbols ("S.U.P.P.O.R.T", "Süpport 🎧" are "support"). "an agent" is what visitors
 * read for an agent with no name. Names that hold an email address are refused on their own (`@`).
 */
const RESERVED_NAMES: ReadonlySet<string> = /* @__PURE__ */ new Set([
  "support",
  "supportteam",
  "customersupport",
  "customerservice",
  "helpdesk",
  "team",
  "theteam",
  "staff",
  "admin",
  "administrator",
  "moderator",
  "owner",
  "agent",
  "anagent",
  "system",
  "security",
  "official",
  "hatch",
]);

/** A display name as it is kept (trimmed, NFC), or why it cannot be shown to visitors; "" is no name. */
export type DisplayNameResult = { ok: true; name: string } | { ok: false; message: string };

/**
 * Reads a display name as typed, for the server and the console alike.
 * @example parseDisplayName(" Anna ") // { ok: true, name: "Anna" }
 * @example parseDisplayName("Ann\u202Etroppus") // { ok: false, message: "A display name cannot hold U+202E: …" }
 */
export function parseDisplayName(raw: string): DisplayNameResult {
  const name = raw.trim().normalize("NFC");
  const message = displayNameProblem(name);
  return message === null ? { ok: true, name } : { ok: false, message };
}

function displayNameProblem(name: string): string | null {
  const characters = graphemes(name);
  for (const character of characters) {
    const problem = characterProblem(character, "A display name");
    if (problem) return problem;
  }
  if (characters.length > MAX_DISPLAY_NAME_CHARS)
    return `A display name is at most ${MAX_DISPLAY_NAME_CHARS} characters; this one has ${characters.length}.`;
  const bytes = utf8Bytes(name);
  if (bytes > MAX_DISPLAY_NAME_BYTES)
    return `A display name takes at most ${MAX_DISPLAY_NAME_BYTES} bytes; this one takes ${bytes}: use fewer emoji or accented characters.`;
  if (/[<>]/.test(name)) return "A display name cannot hold < or >.";
  const folded = name.normalize("NFKD");
  if (folded.includes("@"))
    return "A display name cannot hold an email address or an @: visitors would read it as a way to reach you. Use your name.";
  if (RESERVED_NAMES.has(folded.toLowerCase().replace(/[\p{M}\p{P}\p{Z}\p{S}]/gu, "")))
    return `“${name}” names no person: visitors would take it for the whole team or for Hatch itself. Use your own name.`;
  return null;
}

/**
 * Why an email address (trimmed and in lower case) is not usable, or null: its shape, its size in
 * bytes, and the characters a display name may not hold either.
 */
export function emailProblem(email: string): string | null {
  for (const character of graphemes(email)) {
    const problem = characterProblem(character, "An email address");
    if (problem) return problem;
  }
  if (utf8Bytes(email) > MAX_EMAIL_BYTES) return `An email address is at most ${MAX_EMAIL_BYTES} bytes.`;
  // No list separators, quotes or brackets: a mailer would read "a,b@c" as another address than shown.
  if (!/^[^\s@,;<>"():[\]\\]+@[^\s@,;<>"():[\]\\]+$/.test(email))
    return "Enter an email address like name@example.com.";
  return null;
}

/**
 * Why a line of text the owner shows visitors (the widget's greeting, its button, the team's name)
 * would not read as it is written, or null: the same characters a display name may not hold.
 */
export function hiddenCharacterProblem(text: string, what: string): string | null {
  for (const character of graphemes(text)) {
    const problem = characterProblem(character, what);
    if (problem) return problem;
  }
  return null;
}

/** Why one character (a grapheme) cannot be shown, or null. */
function characterProblem(character: string, what: string): string | null {
  const hidden = UNSHOWN.exec(withoutEmojiJoiners(character));
  if (hidden) {
    const code = `U+${hidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    return `${what} cannot hold ${code}: invisible and control characters (bidi overrides, zero-width characters, line breaks) can make it read as something else. Remove it.`;
  }
  if ((character.match(/\p{M}/gu)?.length ?? 0) > MAX_MARKS_PER_CHARACTER)
    return `${what} cannot stack more than ${MAX_MARKS_PER_CHARACTER} accents or marks on one character.`;
  return null;
}

/**
 * An emoji with the format characters that build it taken out: the zero-width joiner between the
 * pictures of a sequence (a family, "woman technologist") and the tags of a subdivision flag
 * (England). A joiner anywhere else, or tags after anything but a black flag, stay to be refused.
 */
function withoutEmojiJoiners(character: string): string {
  if (!/\p{Extended_Pictographic}/u.test(character)) return character;
  return character
    .replace(/(?<=\p{Extended_Pictographic}[\p{Emoji_Modifier}\uFE0F]*)\u200D(?=\p{Extended_Pictographic})/gu, "")
    .replace(/^(\u{1F3F4})[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]{1,6}\u{E007F}$/u, "$1");
}

/** The characters of `text` as a reader counts them (extended grapheme clusters, UAX #29). */
function graphemes(text: string): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  return Array.from(segmenter.segment(text), (part) => part.segment);
}
let segmenter: Intl.Segmenter | undefined;

/** UTF-8 length, counted without TextEncoder (policy/ has no DOM or Node types). */
function utf8Bytes(text: string): number {
  let bytes = 0;
  for (const character of text) {
    const code = character.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/**
 * Each side says it is typing at most this often, and the server passes on at most one such event
 * per chat and side this often; the indicator shows for a little longer, so it does not flicker.
 */
export const TYPING_EVERY_MS = 3_000;

export type ConversationStatus = "pending" | "active" | "closed";

/** An address the visitor wrote from in this chat, and since when. */
interface VisitorAddressSeen {
  ip: string;
  country: string | null;
  since: string;
}

export interface Conversation {
  id: string;
  accountId: string;
  visitorId: string;
  status: ConversationStatus;
  /** The address the visitor writes from now, and its country. */
  visitorIp: string;
  visitorCountry: string | null;
  /** Every address seen in this chat, oldest first; the last is the current one. */
  visitorAddresses: VisitorAddressSeen[];
  page: string;
  agentUserId: string | null;
  createdAt: string;
  acceptedAt: string | null;
  closedAt: string | null;
  closedReason: string | null;
  /** Written while no agent was online: the visitor reads the answer on a later visit. */
  offline: boolean;
  /** The name the agent who took the chat shows visitors; null when they set none. */
  agentName: string | null;
  /** What the visitor told before the chat (policy/prechat.ts): never checked as who they are. */
  visitorName: string | null;
  /** An address the visitor gave for the answer (the pre-chat form's, or the one asked while nobody was online). */
  visitorEmail: string | null;
  /** The owner's pre-chat questions, as asked then, and the visitor's answers. */
  answers: { label: string; value: string }[];
  /** The visitor's agreement to the privacy notice (its version, and when), where the owner asked for it. */
  consent: { version: number; at: string } | null;
}

export interface StoredFile {
  id: string;
  name: string;
  size: number;
  kind: string;
  mime: string;
  category: Category;
}

/**
 * What screening found in a visitor's message (server/screening/), as spans of its stored text for
 * the console to mask or defuse: abusive words `[start, end)` and links `[start, end, host]`.
 * `clickable` when the owner lets links be links. Card numbers are not here: they never leave the
 * server (the stored text has them masked to their last four).
 */
export interface MessageScreening {
  abuse: [number, number][];
  links: [number, number, string][];
  clickable?: true;
}

export interface Message {
  id: number;
  conversationId: string;
  /** "note": an agent's internal note, for co-workers only: never sent to the visitor. */
  author: "visitor" | "agent" | "system" | "note";
  userId: string | null;
  /** An agent's message: the name they show visitors (never their email), or null for none. */
  agentName: string | null;
  /** An agent's message: the file id of the avatar they show visitors, or null for none. */
  agentAvatar: string | null;
  text: string;
  file: StoredFile | null;
  createdAt: string;
  /** A visitor's message with something screening found in it; null for none (and for others' messages). */
  screening: MessageScreening | null;
  /** Held by screening: in the chat's held list, read by no agent's stream until one releases it. */
  held: boolean;
  /** A held message an agent released: who (their name, else email) and when. */
  released: { by: string; at: string } | null;
}
