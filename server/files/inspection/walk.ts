// One walk over an upload and all it holds: the budgets its levels share (too many entries or too many
// bytes unpacked make a bomb, refused before it is unpacked whole), and how an entry is judged, given by
// archive.ts so that the readers of each format (zip.ts, tar.ts) need not know the others.

import { basename } from "node:path";
import { isCategoryAllowed, type Category } from "../../../policy/file-category";
import { detectFile, SNIFF_BYTES } from "../../../policy/file-kind";
import type { FileKind } from "../../../policy/file-kind/kind";
import { ByteReader } from "./byte-reader";
import { refuse, refuseEntry } from "./refusal";

/** `archive`: every entry of a ZIP judged; `document`: the format's own parts left alone, all else judged (zip.ts). */
export type ZipMode = "archive" | "document";

/** Judges one entry at `path` of an archive at `depth` from its first bytes; `open` gives all of them. */
export type JudgeEntry = (
  walk: ArchiveWalk,
  path: string,
  head: Buffer,
  open: () => Promise<ByteReader>,
  depth: number,
) => Promise<void>;

/** One walk over an upload and all it holds, with the budgets its levels share. */
export interface ArchiveWalk {
  /** The upload's name, for the refusal. */
  upload: string;
  categories: readonly Category[];
  /** Entries listed so far, at every level. */
  entries: number;
  /** Bytes declared (ZIP) or unpacked (gzip) so far, at every level, against `maxBytes`. */
  bytes: number;
  maxBytes: number;
  judge: JudgeEntry;
}

/** More entries than this, at all levels together, is a bomb. */
const MAX_ENTRIES = 10_000;
/** Unpacked bytes past this many times the upload, or past 1 GiB, is a bomb. */
const MAX_RATIO = 100;
const MAX_UNPACKED = 1024 ** 3;

/** ZIP-based documents: macros are looked for, and what is not the format's own part is judged. */
const ZIP_DOCUMENTS = new Set(["docx", "xlsx", "pptx", "odt", "ods", "odp", "epub"]);
/** ZIP and what is built on it as a container of files, each judged. */
const ZIP_ARCHIVES = new Set(["zip", "jar", "apk"]);

/** A new walk over an upload of `size` bytes named `upload`, its entries judged by `judge`. */
export function newWalk(upload: string, size: number, categories: readonly Category[], judge: JudgeEntry): ArchiveWalk {
  return { upload, categories, entries: 0, bytes: 0, maxBytes: Math.min(MAX_UNPACKED, size * MAX_RATIO), judge };
}

/** How a ZIP of this kind is walked: its entries judged, or (a document) only looked at for macros. */
export function zipModeOf(kind: FileKind): ZipMode | null {
  if (ZIP_DOCUMENTS.has(kind.kind)) return "document";
  return ZIP_ARCHIVES.has(kind.kind) ? "archive" : null;
}

/** Whether an entry of this kind is an archive to open (ZIP and what is built on it, gzip, tar). */
export function isContainer(kind: FileKind): boolean {
  return zipModeOf(kind) !== null || kind.kind === "gz" || kind.kind === "tar";
}

/**
 * The kind of the entry at `path` from its first bytes and its name, refusing one the policy would refuse
 * sent alone. An archive inside passes though archives are not allowed: what it holds is judged instead.
 */
export function allowedKind(walk: ArchiveWalk, path: string, head: Buffer): FileKind {
  const kind = detectFile(head, basename(path));
  if (!isCategoryAllowed(kind.category, walk.categories) && !(isContainer(kind) && kind.category === "archive"))
    refuseEntry(walk.upload, path, "refused");
  return kind;
}

/** Counts `count` more entries, refusing a bomb. */
export function countEntries(walk: ArchiveWalk, count: number): void {
  walk.entries += count;
  if (walk.entries > MAX_ENTRIES) refuse("archive_bomb", walk.upload);
}

/** Counts `count` more unpacked bytes, refusing a bomb. */
export function countBytes(walk: ArchiveWalk, count: number): void {
  walk.bytes += count;
  if (walk.bytes > walk.maxBytes) refuse("archive_bomb", walk.upload);
}

/** Judges an entry read as a stream, from its first bytes. */
export async function judgeStreamedEntry(
  walk: ArchiveWalk,
  path: string,
  body: AsyncIterable<Uint8Array>,
  depth: number,
): Promise<void> {
  const reader = new ByteReader(body);
  await walk.judge(walk, path, await reader.peek(SNIFF_BYTES), async () => reader, depth);
}
