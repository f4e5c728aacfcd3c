// The sentence a visitor reads for a refused request or file, in their language, chosen by the refusal's
// code (the server's error codes, DESIGN.md "HTTP contract"), never by its English message.

import type { FileRefusal } from "../policy/file-messages";
import type { FilePolicy } from "../policy/schema";
import type { RefusedRequest } from "./api";
import { isolate, type Translator } from "./i18n/translator";

/** A refusal the server or the widget may answer, in words; the files' policy fills the file refusals. */
type Wording = (t: Translator, refusal: RefusedRequest, files: FilePolicy) => string;

const tooFast: Wording = (t, { retryAfterS }) =>
  retryAfterS === null
    ? t.text("error.slowDown")
    : retryAfterS < 60
      ? t.plural("error.waitSeconds", retryAfterS)
      : t.plural("error.waitMinutes", Math.ceil(retryAfterS / 60));

/**
 * The codes a visitor's request can be refused with and the widget has words for. Those that end the
 * session (`unavailable`, `ticket_invalid`, `closed`) act instead of talking: see visitor-chat.ts.
 */
const WORDINGS = new Map<string, Wording>([
  // The files' policy is the one the page loaded with; the server's own is the same unless it changed since.
  ["file_type", (t, _, files) => fileRefusalText(t, { code: "file_type", allowed: files.categories })],
  // Also a message over the body limit, which the composer's maxLength keeps the visitor from writing.
  ["too_large", (t, _, files) => fileRefusalText(t, { code: "too_large", maxBytes: files.maxBytes })],
  ["empty_file", (t) => fileRefusalText(t, { code: "empty_file" })],
  ["upload_cut", (t) => t.text("file.cut")],
  // What the server found inside an allowed file (server/files/inspection/); the server's message names
  // the file and the entry in English, the widget says why in the visitor's language.
  ["macro", (t) => t.text("file.macro")],
  ["active_content", (t) => t.text("file.activeContent")],
  ["encrypted", (t) => t.text("file.encrypted")],
  ["archive_content", (t) => t.text("file.archiveContent")],
  ["archive_bomb", (t) => t.text("file.archiveBomb")],
  ["malware", (t) => t.text("file.malware")],
  ["not_found", (t) => t.text("chat.gone")],
  ["rate_limited", tooFast],
  ["too_many_streams", tooFast],
  ["challenge_failed", (t) => t.text("challenge.gaveUp")],
  ["challenge_unsupported", (t) => t.text("challenge.unsupported")],
  ["http_error", (t) => t.text("error.network")],
]);

/** Why a file may not be sent, in the visitor's words: "In diesem Chat können nur Bilder gesendet werden." */
export function fileRefusalText(t: Translator, refusal: FileRefusal): string {
  if (refusal.code === "too_large") return t.text("file.tooLarge", { size: t.size(refusal.maxBytes) });
  if (refusal.code === "empty_file") return t.text("file.empty");
  if (refusal.code === "archive_content") return t.text("file.archiveContent");
  const allowed =
    refusal.allowed.length === 0
      ? t.text("file.none")
      : t.text("file.type", { categories: t.list(refusal.allowed.map((category) => t.text(`category.${category}`))) });
  const disguise = refusal.disguise;
  if (!disguise) return allowed;
  const lie = t.text("file.disguised", {
    name: isolate(disguise.name),
    claimed: t.text(`what.${disguise.claimed}`),
    found: t.text(`what.${disguise.found}`),
  });
  return `${lie} ${allowed}`;
}

/**
 * What the visitor reads for a refused request: the words for its code, or a general sentence for a
 * code the widget does not know (its English message is the server's, and may not be the visitor's language).
 * @example refusalText(t, new RefusedRequest(429, "rate_limited", "…", null, 12), files) // "…try again in 12 seconds."
 */
export function refusalText(t: Translator, refusal: RefusedRequest, files: FilePolicy): string {
  return WORDINGS.get(refusal.code)?.(t, refusal, files) ?? t.text("error.refused");
}
