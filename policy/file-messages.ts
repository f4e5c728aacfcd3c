// What a visitor is told when a file may not be sent: the same words from the widget's courtesy
// check and from the server's 415/413, so the visitor sees one message whichever refuses first.
// The server answers in English; the widget words the same refusals, as data, in the visitor's language.

import type { Category } from "./file-category";

const CATEGORY_WORDS: Record<Category, string> = {
  image: "images",
  document: "documents",
  archive: "archives",
  audio: "audio files",
  video: "videos",
  text: "text files",
  executable: "programs",
  script: "scripts",
  other: "other files",
};

/** What a disguised file's bytes are, in words: a category, or a web page (HTML, the most common disguise). */
type FoundKind = Category | "webpage";

/** A file whose name claims one kind and whose bytes are another: "photo.png" that is a web page. */
export interface Disguise {
  name: string;
  claimed: Category;
  found: FoundKind;
}

/**
 * The kind a name claims, by its extension, for the kinds visitors mean to send; others claim nothing.
 * Only used to word a refusal: what a file is comes from its bytes (policy/file-kind).
 */
const CLAIMED_BY_EXTENSION: Readonly<Record<string, Category>> = Object.fromEntries(
  (
    [
      ["image", "png jpg jpeg gif webp bmp heic heif avif tif tiff ico"],
      ["document", "pdf doc docx xls xlsx ppt pptx odt ods odp rtf epub"],
      ["archive", "zip rar 7z tar gz tgz bz2 xz zst"],
      ["audio", "mp3 wav ogg oga m4a flac opus aac"],
      ["video", "mp4 mov webm avi mkv m4v 3gp ogv"],
      ["text", "txt csv log md json"],
    ] as const
  ).flatMap(([category, extensions]) => extensions.split(" ").map((extension) => [extension, category])),
);

const CATEGORY_NOUNS: Record<FoundKind, string> = {
  image: "an image",
  document: "a document",
  archive: "an archive",
  audio: "a sound file",
  video: "a video",
  text: "a text file",
  executable: "a program",
  script: "a script",
  other: "something unrecognised",
  webpage: "a web page",
};

/**
 * A refusal as data, for the widget to word in the visitor's language (widget/refusal-text.ts). Each
 * `code` is the error code of the server's answer for it (server/files/uploads.ts), whose message is below.
 * A refused file whose name claims another kind than its bytes carries the `disguise`, said first.
 */
export type FileRefusal =
  | { code: "file_type"; allowed: readonly Category[]; disguise?: Disguise | undefined }
  | { code: "too_large"; maxBytes: number }
  | { code: "empty_file" }
  /** An archive lists an entry the policy refuses sent alone (by its name, in the widget; by its bytes, on the server). */
  | { code: "archive_content"; entry: string };

/** "Only images can be sent in this chat.", "Only images and text files can be sent in this chat." */
export function refusalMessage(allowed: readonly Category[]): string {
  if (allowed.length === 0) return "Files cannot be sent in this chat.";
  const words = allowed.map((category) => CATEGORY_WORDS[category]);
  const list = words.length === 1 ? words[0] : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
  return `Only ${list} can be sent in this chat.`;
}

/**
 * How `name` lies about the file `detected` from its bytes, or null when its extension claims nothing,
 * or claims what the bytes are.
 * @example disguiseOf("photo.png", { kind: "html", category: "script" }) // { name: "photo.png", claimed: "image", found: "webpage" }
 */
export function disguiseOf(name: string, detected: { kind: string; category: Category }): Disguise | null {
  const dot = name.lastIndexOf(".");
  const claimed = dot < 0 ? undefined : CLAIMED_BY_EXTENSION[name.slice(dot + 1).toLowerCase()];
  if (claimed === undefined || claimed === detected.category) return null;
  const found = detected.kind === "html" || detected.kind === "xhtml" ? "webpage" : detected.category;
  return { name, claimed, found };
}

/** "photo.png is not an image: it contains a web page." */
export function disguiseMessage({ name, claimed, found }: Disguise): string {
  return `${name} is not ${CATEGORY_NOUNS[claimed]}: it contains ${CATEGORY_NOUNS[found]}.`;
}

/** "This file is larger than the 10 MB this chat accepts." */
export function tooLargeMessage(maxBytes: number): string {
  return `This file is larger than the ${formatBytes(maxBytes)} this chat accepts.`;
}

/**
 * An upload refused for what it holds, found by the server's inspection once its kind was allowed (DESIGN.md
 * "Screening, inspection, privacy, notifications"); `code` is the 415's error code. `entry` names what inside an
 * archive refused it: an entry the policy refuses, one too large or too deep to look into, or the damage found.
 */
export type InspectionRefusal =
  | { code: "macro" | "active_content" | "encrypted" | "archive_bomb" | "malware"; name: string }
  | { code: "archive_content"; name: string; entry: string; why: "refused" | "nested" | "damaged" };

const INSPECTION_MESSAGES: Record<Exclude<InspectionRefusal["code"], "archive_content">, string> = {
  macro:
    "{name} contains macros, which can run programs on the agent's computer: save it without macros (as .docx rather than .docm, for example) and send it again.",
  active_content:
    "{name} contains scripts, actions or attached files that could run on the agent's computer: save or print it as a plain PDF and send it again.",
  encrypted: "{name} is protected by a password, so what it holds cannot be checked: send it without the password.",
  archive_bomb:
    "{name} would unpack to far more than its size, as archives made to overwhelm a computer do: send the files it holds on their own.",
  malware: "{name} was refused because a virus scanner found something in it.",
};

const ARCHIVE_CONTENT_MESSAGES: Record<"refused" | "nested" | "damaged", string> = {
  refused: "{name} contains {entry}, which cannot be sent in this chat: send the archive without it.",
  nested:
    "{name} contains {entry}, an archive too large or too deeply nested to check: send the files it holds on their own.",
  damaged: "{name} is damaged or incomplete ({entry}), so what it holds cannot be checked: send it again.",
};

/** "report.docm contains macros, which can run programs on the agent's computer: …" */
export function inspectionMessage(refusal: InspectionRefusal): string {
  const template =
    refusal.code === "archive_content" ? ARCHIVE_CONTENT_MESSAGES[refusal.why] : INSPECTION_MESSAGES[refusal.code];
  // Functions, not strings, as replacements: a name may hold "$&".
  return template
    .replace("{name}", () => refusal.name)
    .replace("{entry}", () => ("entry" in refusal ? refusal.entry : ""));
}

export const EMPTY_FILE_MESSAGE = "The file is empty: choose a file with something in it.";

/** A size in the unit it is shown in, one decimal at most: 10485760 → 10 MB, 1536 → 1.5 KB, 900 → 900 bytes. */
export function sizeInUnits(bytes: number): { amount: number; unit: "MB" | "KB" | "bytes" } {
  if (bytes >= 1024 * 1024) return { amount: +(bytes / (1024 * 1024)).toFixed(1), unit: "MB" };
  if (bytes >= 1024) return { amount: +(bytes / 1024).toFixed(1), unit: "KB" };
  return { amount: bytes, unit: "bytes" };
}

/** 10485760 → "10 MB", 1536 → "1.5 KB", 900 → "900 bytes". */
export function formatBytes(bytes: number): string {
  const { amount, unit } = sizeInUnits(bytes);
  return `${amount} ${unit}`;
}
