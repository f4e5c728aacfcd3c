// The courtesy check before an upload: the file's size, then its real kind from its first bytes only.
// The server runs the same detection and is the authority; the wording is policy/file-messages.ts, as the server's.

import { isCategoryAllowed } from "../policy/file-category";
import { detectFile, SNIFF_BYTES } from "../policy/file-kind";
import { EMPTY_FILE_MESSAGE, refusalMessage, tooLargeMessage } from "../policy/file-messages";
import type { FilePolicy } from "../policy/schema";

/**
 * Why `file` may not be sent under `policy`, or null when it may. Reads at most SNIFF_BYTES of it.
 * @example await checkFile(new File([html], "cat.png"), { categories: ["image"], maxBytes: 10485760 })
 *   // "Only images can be sent in this chat."
 */
export async function checkFile(file: File, policy: FilePolicy): Promise<string | null> {
  if (file.size > policy.maxBytes) return tooLargeMessage(policy.maxBytes);
  if (file.size === 0) return EMPTY_FILE_MESSAGE;
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  return isCategoryAllowed(detectFile(head, file.name).category, policy.categories)
    ? null
    : refusalMessage(policy.categories);
}
