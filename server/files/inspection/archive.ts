// What an archive holds, judged entry by entry the way the policy would judge each entry sent alone:
// listed without extracting to disk, nested archives opened to a depth of 3 (walk.ts keeps the budgets).

import { scanOle } from "./ole";
import { refuseEntry } from "./refusal";
import { walkGzip, walkTar } from "./tar";
import { allowedKind, isContainer, type JudgeEntry, zipModeOf } from "./walk";
import { heldPieces } from "./store-reader";
import { walkZip } from "./zip";

/** Archives inside archives are opened to this depth; one deeper refuses the upload. */
const MAX_DEPTH = 3;
/**
 * A nested ZIP is read into memory to be opened (it needs random access, and it is not in the store):
 * one larger than this refuses the upload, so an upload never holds more than depth × this.
 */
const MAX_NESTED_ZIP = 16 * 1024 * 1024;

/**
 * Judges one entry at `path` in an archive at `depth`, from its first bytes (`head`): an archive is opened
 * (`open` gives all its bytes) and judged by its own entries; an old Office file is scanned for macros;
 * anything else must be a category the policy allows, as if sent alone.
 */
export const judgeEntry: JudgeEntry = async (walk, path, head, open, depth) => {
  const kind = allowedKind(walk, path, head);
  if (kind.kind === "cfb") return scanOle(walk.upload, await open());
  if (!isContainer(kind)) return;
  if (depth >= MAX_DEPTH) refuseEntry(walk.upload, path, "nested");
  const reader = await open();
  if (kind.kind === "gz") return walkGzip(walk, reader.rest(), path, depth + 1);
  if (kind.kind === "tar") return walkTar(walk, reader, depth + 1, `${path}/`);
  const bytes = await reader.take(MAX_NESTED_ZIP + 1);
  if (bytes.length > MAX_NESTED_ZIP) refuseEntry(walk.upload, path, "nested");
  await walkZip(walk, heldPieces([bytes]), zipModeOf(kind) ?? "archive", depth + 1, `${path}/`);
};
