// The courtesy check before an upload: the file's size, then its real kind from its first bytes only,
// and for a ZIP the names it lists (a program or a script inside, by its extension).
// The server runs the same detection and is the authority; a refusal is data (policy/file-messages.ts),
// worded in the visitor's language by refusal-text.ts as the server's English words it.

import { isCategoryAllowed, type Category } from "../policy/file-category";
import { detectFile, SNIFF_BYTES } from "../policy/file-kind";
import { categoryByName } from "../policy/file-kind/names";
import { disguiseOf, type FileRefusal } from "../policy/file-messages";
import type { FilePolicy } from "../policy/schema";
import { zipEntryNames } from "./zip-names";

/**
 * Why `file` may not be sent under `policy`, or null when it may. Reads at most SNIFF_BYTES of it.
 * @example await checkFile(new File([html], "cat.png"), { categories: ["image"], maxBytes: 10485760 })
 *   // { code: "file_type", allowed: ["image"] }
 */
export async function checkFile(file: File, policy: FilePolicy): Promise<FileRefusal | null> {
  if (file.size > policy.maxBytes) return { code: "too_large", maxBytes: policy.maxBytes };
  if (file.size === 0) return { code: "empty_file" };
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  const detected = detectFile(head, file.name);
  if (!isCategoryAllowed(detected.category, policy.categories))
    return { code: "file_type", allowed: policy.categories, disguise: disguiseOf(file.name, detected) ?? undefined };
  return detected.kind === "zip" ? refusedEntry(file, policy.categories) : null;
}

/** The first entry of the ZIP `file` whose name makes it a program or a script the policy refuses. */
async function refusedEntry(file: File, allowed: readonly Category[]): Promise<FileRefusal | null> {
  for (const name of (await zipEntryNames(file)) ?? []) {
    const category = categoryByName(name);
    if (category !== null && !isCategoryAllowed(category, allowed)) return { code: "archive_content", entry: name };
  }
  return null;
}
