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

/**
 * A refusal as data, for the widget to word in the visitor's language (widget/refusal-text.ts). Each
 * `code` is the error code of the server's answer for it (server/files/uploads.ts), whose message is below.
 */
export type FileRefusal =
  | { code: "file_type"; allowed: readonly Category[] }
  | { code: "too_large"; maxBytes: number }
  | { code: "empty_file" };

/** "Only images can be sent in this chat.", "Only images and text files can be sent in this chat." */
export function refusalMessage(allowed: readonly Category[]): string {
  if (allowed.length === 0) return "Files cannot be sent in this chat.";
  const words = allowed.map((category) => CATEGORY_WORDS[category]);
  const list = words.length === 1 ? words[0] : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
  return `Only ${list} can be sent in this chat.`;
}

/** "This file is larger than the 10 MB this chat accepts." */
export function tooLargeMessage(maxBytes: number): string {
  return `This file is larger than the ${formatBytes(maxBytes)} this chat accepts.`;
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
