// The courtesy check before an upload: the file's size, then its real kind from its first bytes only.
// The server runs the same detection and is the authority; a refusal is data (policy/file-messages.ts),
// worded in the visitor's language by refusal-text.ts as the server's English words it.

import { isCategoryAllowed } from "../policy/file-category";
import { detectFile, SNIFF_BYTES } from "../policy/file-kind";
import { disguiseOf, type FileRefusal } from "../policy/file-messages";
import type { FilePolicy } from "../policy/schema";

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
  return isCategoryAllowed(detected.category, policy.categories)
    ? null
    : { code: "file_type", allowed: policy.categories, disguise: disguiseOf(file.name, detected) ?? undefined };
}
