// gzip and tar, read as a stream: gzip inflated with every byte counted against the walk's budget (and
// stopped there), tar walked by its 512-byte headers (POSIX.1-2017 pax, "ustar Interchange Format"). The
// headers are parsed here in a few lines rather than with the `tar` package's Parser: only the name, size
// and type are needed, and the pull reader keeps memory bounded with no entry stream left to drain.
//
// Rules: a gzip that holds a tar is one archive (a .tar.gz); one that holds anything else holds one
// entry, named after it without `.gz` and judged under the name its header keeps too (FNAME, which
// `gunzip -N` and 7-Zip restore). GNU long names and pax `path` and `size` records (the last of each, as
// readers take them) describe the next entry. Folders and devices are listed, not judged; a link is judged
// by its name as a text file of that name would be (a link named run.sh opens as a script), and by its
// data when it has any; every other type, known or not, is a file (POSIX: an unknown type reads as a
// regular file). A header with a wrong checksum, or a file that ends inside an entry, is damage.

import { createGunzip } from "node:zlib";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { basename } from "node:path";
import { allowedKind, countBytes, countEntries, judgeStreamedEntry, type ArchiveWalk } from "./walk";
import { ByteReader } from "./byte-reader";
import { refuseEntry } from "./refusal";
import type { StoredBytes } from "./store-reader";
import { detectFile, SNIFF_BYTES } from "../../../policy/file-kind";

const BLOCK = 512;
/** Hard and symbolic links. */
const LINK_TYPES = new Set(["1", "2"]);
/** Listed and not judged: devices, folders, FIFOs, a global pax header, GNU's link name, dump dir and label. */
const LISTED_TYPES = new Set(["3", "4", "5", "6", "g", "K", "D", "V"]);
/** A pax header or GNU long name is text of a few hundred bytes; more is not a header. */
const MAX_META_BYTES = 64 * 1024;
/** What a link is judged as, with its own name: a text file. */
const LINK_AS_TEXT = Buffer.from("link\n");
/** RFC 1952 §2.3.1: the fixed header, and the flags for an extra field and a file name. */
const GZIP_FIXED = 10;
const FEXTRA = 0x04;
const FNAME = 0x08;
/** A gzip header with its extra field (at most 65,535 bytes) and a name: more is not a header. */
const MAX_GZIP_HEADER = GZIP_FIXED + 2 + 0xffff + 4096;

/** What a pax extended header or GNU long name says of the next entry. */
interface NextEntry {
  name?: string;
  size?: number;
}

/** Walks a gzip stream at `depth`: a tar inside it is walked as one archive with it, else its one file is judged. */
export async function walkGzip(walk: ArchiveWalk, body: AsyncIterable<Uint8Array>, path: string, depth: number) {
  const raw = new ByteReader(body);
  const stored = storedName(await raw.peek(MAX_GZIP_HEADER));
  if (stored === undefined) refuseEntry(walk.upload, `${path}: a damaged header`, "damaged");
  const gunzip = createGunzip();
  // The pipeline feeds the inflater; its output is read below, and the reading's errors are the ones that count.
  const piping = pipeline(Readable.from(raw.rest()), gunzip).catch(() => undefined);
  const reader = new ByteReader(counted(walk, gunzip, path));
  const inner = path.replace(/\.tgz$/i, ".tar").replace(/\.gz$/i, "") || "file";
  try {
    const head = await reader.peek(SNIFF_BYTES);
    if (detectFile(head, inner).kind === "tar") {
      await walkTar(walk, reader, depth, `${path}/`);
      // Inflated to its end, counted: a gzip cut short or failing its CRC is damage even past the tar's end.
      await reader.skip(Number.POSITIVE_INFINITY);
    } else {
      countEntries(walk, 1);
      if (stored) allowedKind(walk, `${path}/${stored}`, head);
      await judgeStreamedEntry(walk, inner, reader.rest(), depth);
    }
  } finally {
    gunzip.destroy();
    await piping;
  }
}

/**
 * The file name a gzip header keeps (null when it keeps none), from the header's first bytes; undefined when
 * the flags promise a name or an extra field the bytes do not hold.
 */
function storedName(header: Buffer): string | null | undefined {
  if (header.length < GZIP_FIXED) return null;
  const flags = header[3]!;
  let at = GZIP_FIXED;
  if ((flags & FEXTRA) !== 0) at += 2 + (header.length >= at + 2 ? header.readUInt16LE(at) : Infinity);
  if ((flags & FNAME) === 0) return null;
  const end = header.indexOf(0, at);
  if (at > header.length || end < 0) return undefined;
  return basename(header.toString("latin1", at, end).replaceAll("\\", "/")) || null;
}

/**
 * The size a stored gzip declares it inflates to: the last member's ISIZE (RFC 1952 §2.3.1), modulo 4 GiB.
 * Refuses a bomb from its trailer before anything is inflated; what is inflated is counted anyway.
 */
export async function gzipDeclaredSize(stored: StoredBytes): Promise<number> {
  if (stored.size < 4) return 0;
  const parts: Buffer[] = [];
  for await (const part of await stored.readRange(stored.size - 4, stored.size)) parts.push(part as Buffer);
  const trailer = Buffer.concat(parts);
  return trailer.length === 4 ? trailer.readUInt32LE(0) : 0;
}

/** The inflated bytes, counted; a gzip that breaks off or is not gzip is damage. */
async function* counted(walk: ArchiveWalk, gunzip: AsyncIterable<Buffer>, path: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of gunzip) {
      countBytes(walk, chunk.length);
      yield chunk;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code?.startsWith("Z_"))
      refuseEntry(walk.upload, `${path}: ${(error as Error).message}`, "damaged");
    throw error;
  }
}

/** Walks a tar at `depth`, its entries named under `prefix`, judging each file and link. */
export async function walkTar(walk: ArchiveWalk, reader: ByteReader, depth: number, prefix: string): Promise<void> {
  let next: NextEntry = {};
  for (;;) {
    const header = await reader.take(BLOCK);
    if (header.length === 0 || isZeros(header)) return;
    if (header.length < BLOCK || !checksumMatches(header))
      refuseEntry(walk.upload, `${prefix}: a damaged header`, "damaged");
    const type = String.fromCharCode(header[156]!);
    if (type === "L" || type === "x") {
      next = { ...next, ...(await readMeta(walk, reader, numberAt(header, 124, 12), type, prefix)) };
      continue;
    }
    const size = next.size ?? numberAt(header, 124, 12);
    const path = `${prefix}${next.name ?? headerName(header)}`;
    next = {};
    countEntries(walk, 1);
    if (LINK_TYPES.has(type)) allowedKind(walk, path, LINK_AS_TEXT);
    const file = !LISTED_TYPES.has(type) && (size > 0 || !LINK_TYPES.has(type));
    if (file) await judgeTarFile(walk, reader, path, size, depth);
    const rest = Math.ceil(size / BLOCK) * BLOCK - (file ? size : 0);
    if ((await reader.skip(rest)) < rest) refuseEntry(walk.upload, `${path}: cut short`, "damaged");
  }
}

/** A GNU long name (`L`) or a pax extended header (`x`) of `size` bytes: what it says of the next entry. */
async function readMeta(
  walk: ArchiveWalk,
  reader: ByteReader,
  size: number,
  type: "L" | "x",
  prefix: string,
): Promise<NextEntry> {
  if (size > MAX_META_BYTES) refuseEntry(walk.upload, `${prefix}: a header too long`, "damaged");
  const meta = (await reader.take(Math.ceil(size / BLOCK) * BLOCK)).subarray(0, size);
  if (type === "L") return { name: meta.toString("utf8").replace(/\0.*$/s, "") };
  const records = paxRecords(meta);
  const declared = records?.get("size");
  if (records === null || (declared !== undefined && !/^\d{1,15}$/.test(declared)))
    refuseEntry(walk.upload, `${prefix}: a damaged header`, "damaged");
  const name = records.get("path");
  return { ...(name === undefined ? {} : { name }), ...(declared === undefined ? {} : { size: Number(declared) }) };
}

/** A pax header's records, `LENGTH KEY=VALUE\n` each, the last of a key winning; null when they do not parse. */
function paxRecords(meta: Buffer): Map<string, string> | null {
  const records = new Map<string, string>();
  for (let at = 0; at < meta.length;) {
    const space = meta.indexOf(0x20, at);
    const length = Number(meta.toString("latin1", at, space));
    if (space < 0 || !Number.isSafeInteger(length) || at + length > meta.length || length <= space - at + 1)
      return null;
    const record = meta.toString("utf8", space + 1, at + length - 1);
    const equals = record.indexOf("=");
    if (equals < 0) return null;
    records.set(record.slice(0, equals), record.slice(equals + 1));
    at += length;
  }
  return records;
}

/** Judges one file of `size` bytes, then reads past what the judging did not. */
async function judgeTarFile(walk: ArchiveWalk, reader: ByteReader, path: string, size: number, depth: number) {
  let read = 0;
  async function* body() {
    for await (const piece of reader.pass(size - read)) {
      read += piece.length;
      yield piece;
    }
  }
  await judgeStreamedEntry(walk, path, body(), depth);
  if (read + (await reader.skip(size - read)) < size) refuseEntry(walk.upload, `${path}: cut short`, "damaged");
}

/** ustar's name: the prefix field, a slash and the name field, each ended by NUL. */
function headerName(header: Buffer): string {
  const field = (start: number, length: number) => header.toString("utf8", start, start + length).replace(/\0.*$/s, "");
  const prefix = header.toString("latin1", 257, 262) === "ustar" ? field(345, 155) : "";
  return prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
}

/** An octal field, or a base-256 one (its first byte's high bit set, as GNU tar writes large sizes). */
function numberAt(header: Buffer, start: number, length: number): number {
  if ((header[start]! & 0x80) !== 0) {
    let value = header[start]! & 0x7f;
    for (let index = start + 1; index < start + length; index++) value = value * 256 + header[index]!;
    return value;
  }
  return parseInt(
    header
      .toString("latin1", start, start + length)
      .replace(/[\0 ]+$/g, "")
      .trim() || "0",
    8,
  );
}

/** The header's checksum: the sum of its bytes with the checksum field as spaces. */
function checksumMatches(header: Buffer): boolean {
  let sum = 8 * 0x20;
  for (let index = 0; index < BLOCK; index++) if (index < 148 || index >= 156) sum += header[index]!;
  return sum === numberAt(header, 148, 8);
}

function isZeros(block: Buffer): boolean {
  return block.every((byte) => byte === 0);
}
