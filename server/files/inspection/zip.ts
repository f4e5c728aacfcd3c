// ZIP and what is built on it (Office Open XML, OpenDocument, EPUB, JAR, APK), listed with yauzl: a
// maintained reader that takes the entries from the central directory, checks each local header
// against it, refuses an entry that inflates past its declared size, and reads ZIP64. It reads through
// a random-access reader over the upload's pieces (store-reader.ts): read back from the file store in
// blocks, never held whole, or, for a ZIP kept in memory as it passed (held-copy.ts) or nested in
// another, both bounded in size, read where they lie.
//
// Rules: the declared sizes of all entries are counted before any is read, so a bomb is refused from
// its directory; an entry is inflated only as far as its first bytes, unless it is an archive to open.
// A ZIP whose directory or an entry cannot be read (truncated, damaged, an unknown compression) is
// refused as damaged: what it holds cannot be known.

import { basename } from "node:path";
import type { Readable } from "node:stream";
import { constants, inflateRawSync } from "node:zlib";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { countBytes, countEntries, type ArchiveWalk, type ZipMode } from "./walk";
import { ByteReader } from "./byte-reader";
import { refuse, refuseEntry, Refusal } from "./refusal";
import { PieceReader, type Pieces } from "./store-reader";
import type { Category } from "../../../policy/file-category";
import { detectFile, SNIFF_BYTES } from "../../../policy/file-kind";

const OPTIONS: yauzl.Options = {
  lazyEntries: true,
  decodeStrings: true,
  validateEntrySizes: true,
  strictFileNames: false,
};
/** Content types that mark a macro-enabled Office part: `application/vnd.ms-word.document.macroEnabled.main+xml`. */
const MACRO_CONTENT_TYPE = /macroEnabled/i;
/** The Content Types part read to find them; Office's are a few kilobytes. */
const MAX_CONTENT_TYPES = 1024 * 1024;
const STORED = 0;
const DEFLATED = 8;
/** The compressed bytes read, and the inflated bytes allowed, for an entry's first bytes (quickHead). */
const HEAD_INPUT = 4096;
const HEAD_OUTPUT = 64 * 1024;
const HEAD_CHUNK = 8 * 1024;
/** APPNOTE.TXT §4.3.7: a local file header's fixed part, then the name and the extra field. */
const LOCAL_HEADER_BYTES = 30;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;

/** Reads `length` bytes at `position` of the ZIP being walked, fewer at its end. */
type ReadAt = (position: number, length: number) => Promise<Buffer>;
/** The categories of a document's own parts (isOwnPart). */
const OWN_PART_CATEGORIES: ReadonlySet<Category> = new Set(["image", "audio", "video", "text", "other"]);
const OWN_PART_KINDS: ReadonlySet<string> = new Set(["xml", "office-xml", "svg", "html", "xhtml"]);
/** OpenDocument keeps Basic macros and scripts in these folders (ODF 1.3 Part 3 §3.16, LibreOffice's layout). */
const ODF_MACRO_FOLDER = /^(basic|scripts)\//i;

/** Walks a ZIP: the upload (depth 1), or one found inside an archive at `depth`, its entries named under `prefix`. */
export async function walkZip(walk: ArchiveWalk, pieces: Pieces, mode: ZipMode, depth = 1, prefix = ""): Promise<void> {
  const reader = new PieceReader(pieces);
  const zip = await damagedAs(walk, prefix, () =>
    settle<ZipFile>((done) => yauzl.fromRandomAccessReader(reader, pieces.size, OPTIONS, done)),
  );
  const readAt: ReadAt = (position, length) => reader.readAt(position, length);
  try {
    countEntries(walk, zip.entryCount);
    for (let entry = await nextEntry(walk, zip, prefix); entry; entry = await nextEntry(walk, zip, prefix))
      await judgeZipEntry(walk, { zip, readAt }, entry, mode, depth, prefix);
  } finally {
    zip.close();
  }
}

/** The next entry from the directory, its declared size counted; null after the last. */
async function nextEntry(walk: ArchiveWalk, zip: ZipFile, prefix: string): Promise<Entry | null> {
  const entry = await damagedAs(
    walk,
    prefix,
    () =>
      new Promise<Entry | null>((resolve, reject) => {
        zip
          .once("entry", resolve)
          .once("end", () => resolve(null))
          .once("error", reject);
        zip.readEntry();
      }),
  );
  zip.removeAllListeners("entry").removeAllListeners("end").removeAllListeners("error");
  if (entry) countBytes(walk, entry.uncompressedSize);
  return entry;
}

async function judgeZipEntry(
  walk: ArchiveWalk,
  { zip, readAt }: { zip: ZipFile; readAt: ReadAt },
  entry: Entry,
  mode: ZipMode,
  depth: number,
  prefix: string,
): Promise<void> {
  const name = entry.fileName;
  if (name.endsWith("/")) return;
  if (entry.isEncrypted()) refuse("encrypted", walk.upload);
  if (/(^|\/)vbaproject\.bin$/i.test(name)) refuse("macro", walk.upload);
  if (mode === "document" && ODF_MACRO_FOLDER.test(name)) refuse("macro", walk.upload);
  const path = `${prefix}${name}`;
  const streams: Readable[] = [];
  const open = async () => {
    const body = await settle<Readable>((done) => zip.openReadStream(entry, done));
    streams.push(body);
    return new ByteReader(body);
  };
  try {
    // Every read of the entry inside: a short or damaged entry refuses the upload as damaged, never a 500.
    await damagedAs(walk, path, async () => {
      if (name === "[Content_Types].xml") return checkContentTypes(walk, await open());
      const head = (await quickHead(readAt, entry)) ?? (await (await open()).peek(SNIFF_BYTES));
      if (mode === "document" && isOwnPart(head, name)) return;
      await walk.judge(walk, path, head, open, depth);
    });
  } finally {
    for (const stream of streams) stream.destroy();
  }
}

/**
 * Whether a document's entry is one of its format's own parts (markup, pictures, sound, fonts and other
 * data no program runs), left alone. Anything else in a document (a program, a script, an archive, another
 * document, an old Office object) is judged as if sent alone: a .docx holding a .docm or an .exe is refused.
 * Markup of every kind counts as a part, though a browser could run script in some of it: Office draws SVG
 * without running its scripts, OpenDocument's XML declares XHTML's namespace, an EPUB's pages are XHTML.
 * A script file itself (an EPUB's .js) is not a part.
 */
function isOwnPart(head: Buffer, name: string): boolean {
  const kind = detectFile(head, basename(name));
  return OWN_PART_CATEGORIES.has(kind.category) || OWN_PART_KINDS.has(kind.kind);
}

/**
 * An entry's first bytes read straight from its compressed data, without the streams yauzl sets up for
 * a whole entry: most entries need nothing more, and a ZIP of thousands of small files is read this way
 * in a tenth of the time. At most HEAD_INPUT compressed bytes are read and HEAD_OUTPUT inflated, and never
 * more than the entry declares; null when that does not give the first bytes (a very compressible start,
 * an entry larger inflated than it declares, another compression method), and the entry is then read as a
 * stream, which yauzl checks against its declared size.
 */
async function quickHead(readAt: ReadAt, entry: Entry): Promise<Buffer | null> {
  const method = entry.compressionMethod;
  if (method !== STORED && method !== DEFLATED) return null;
  const wanted = Math.min(SNIFF_BYTES, entry.uncompressedSize);
  const local = await readAt(entry.relativeOffsetOfLocalHeader, LOCAL_HEADER_BYTES);
  if (local.length < LOCAL_HEADER_BYTES || local.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) return null;
  const dataStart =
    entry.relativeOffsetOfLocalHeader + LOCAL_HEADER_BYTES + local.readUInt16LE(26) + local.readUInt16LE(28);
  const input = Math.min(entry.compressedSize, method === STORED ? wanted : HEAD_INPUT);
  const compressed = await readAt(dataStart, input);
  if (method === STORED) return compressed.length === wanted ? compressed : null;
  try {
    const head = inflateRawSync(compressed, {
      finishFlush: constants.Z_SYNC_FLUSH,
      // Output in 8 KiB pieces rather than zlib's 16 KiB: a head is a few KiB, and the larger piece,
      // allocated and collected for every entry, took half of a small entry's time (bench/inspection.ts).
      chunkSize: HEAD_CHUNK,
      maxOutputLength: Math.max(1, Math.min(entry.uncompressedSize, HEAD_OUTPUT)),
    });
    return head.length >= wanted ? head.subarray(0, wanted) : null;
  } catch {
    return null;
  }
}

/** Refuses a package whose Content Types declare a macro-enabled part (.docm, .xlsm, .pptm). */
async function checkContentTypes(walk: ArchiveWalk, body: ByteReader): Promise<void> {
  const text = (await body.take(MAX_CONTENT_TYPES)).toString("utf8");
  if (MACRO_CONTENT_TYPE.test(text)) refuse("macro", walk.upload);
}

/** A callback of yauzl's as a promise (yauzl 3.2 has no promise API of its own). */
function settle<T>(call: (done: (error: Error | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => call((error, value) => (error ? reject(error) : resolve(value))));
}

/** Runs `read`, turning yauzl's errors (a damaged or truncated ZIP) into the refusal naming `where`. */
async function damagedAs<T>(walk: ArchiveWalk, where: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof Refusal) throw error;
    return refuseEntry(walk.upload, `${where ? `${where}: ` : ""}${(error as Error).message}`, "damaged");
  }
}
