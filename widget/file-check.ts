// The courtesy check before an upload: the file's size, then its real kind from its first bytes only.
// The server runs the same detection and is the authority; the wording matches server/uploads.ts.

import { CATEGORIES, isCategoryAllowed, type Category } from "../policy/file-category";
import { detectFile, SNIFF_BYTES } from "../policy/file-kind";

export interface FilePolicy {
  categories: string[];
  maxBytes: number;
}

const CATEGORY_WORDS: Record<Category, string> = {
  image: "images", document: "documents", archive: "archives", audio: "audio files", video: "videos",
  text: "text files", executable: "programs", script: "scripts", other: "other files",
};

function isCategory(name: string): name is Category {
  return (CATEGORIES as readonly string[]).includes(name);
}

/** "Only images can be sent in this chat.", "Only images and text files can be sent in this chat." */
export function refusalMessage(allowed: readonly Category[]): string {
  if (allowed.length === 0) return "Files cannot be sent in this chat.";
  const words = allowed.map((category) => CATEGORY_WORDS[category]);
  const list = words.length === 1 ? words[0] : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
  return `Only ${list} can be sent in this chat.`;
}

/** 10485760 → "10 MB", 1536 → "1.5 KB", 900 → "900 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/**
 * Why `file` may not be sent under `policy`, or null when it may. Reads at most SNIFF_BYTES of it.
 * @example await checkFile(new File([html], "cat.png"), { categories: ["image"], maxBytes: 10485760 })
 *   // "Only images can be sent in this chat."
 */
export async function checkFile(file: File, policy: FilePolicy): Promise<string | null> {
  if (file.size > policy.maxBytes) return `This file is larger than the ${formatBytes(policy.maxBytes)} this chat accepts.`;
  if (file.size === 0) return "The file is empty: choose a file with something in it.";
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  const allowed = policy.categories.filter(isCategory);
  return isCategoryAllowed(detectFile(head, file.name).category, allowed) ? null : refusalMessage(allowed);
}
