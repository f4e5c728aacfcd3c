// gzip and tar, read as a stream: gzip inflated with every byte counted against the walk's budget (and
// stopped there), tar walked by its 512-byte headers (POSIX.1-2017 pax, "ustar Interchange Format"). The
// headers are parsed here in a few lines rather than with the `tar` package's Parser: only the name, size
// and type are needed, and the pull reader keeps memory bounded with no entry stream left to drain.
//
// Rules: a gzip that holds a tar is one archive (a .tar.gz); one that holds anything else holds one
// entry, named after it without `.gz`. GNU long names and pax `path` records name the next entry; links,
// folders and devices are listed, not judged. A header with a wrong checksum, or a file that ends inside
// an entry, is damage.

import { createGunzip } from "node:zlib";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { countBytes, countEntries, judgeStreamedEntry, type ArchiveWalk } from "./walk";
import { ByteReader } from "./byte-reader";
import { refuseEntry } from "./refusal";
import type { StoredBytes } from "./store-reader";
import { detectFile, SNIFF_BYTES } from "../../../policy/file-kind";

const BLOCK = 512;
/** Regular files: `0`, the old NUL, and contiguous `7`. */
const FILE_TYPES = new Set(["0", "\0", "7"]);
/** A pax header or GNU long name is text of a few hundred bytes; more is not a header. */
const MAX_META_BYTES = 64 * 1024;

/** Walks a gzip stream at `depth`: a tar inside it is walked as one archive with it, else its one file is judged. */
export async function walkGzip(walk: ArchiveWalk, body: AsyncIterable<Uint8Array>, path: string, depth: number) {
  const gunzip = createGunzip();
  // The pipeline feeds the inflater; its output is read below, and the reading's errors are the ones that count.
  const piping = pipeline(Readable.from(body), gunzip).catch(() => undefined);
  const reader = new ByteReader(counted(walk, gunzip, path));
  const inner = path.replace(/\.tgz$/i, ".tar").replace(/\.gz$/i, "") || "file";
  try {
    if (detectFile(await reader.peek(SNIFF_BYTES), inner).kind === "tar") {
      await walkTar(walk, reader, depth, `${path}/`);
      // Inflated to its end, counted: a gzip cut short or failing its CRC is damage even past the tar's end.
      await reader.skip(Number.POSITIVE_INFINITY);
    } else {
      countEntries(walk, 1);
      await judgeStreamedEntry(walk, inner, reader.rest(), depth);
    }
  } finally {
    gunzip.destroy();
    await piping;
  }
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

/** Walks a tar at `depth`, its entries named under `prefix`, judging each regular file. */
export async function walkTar(walk: ArchiveWalk, reader: ByteReader, depth: number, prefix: string): Promise<void> {
  let longName: string | null = null;
  for (;;) {
    const header = await reader.take(BLOCK);
    if (header.length === 0 || isZeros(header)) return;
    if (header.length < BLOCK || !checksumMatches(header))
      refuseEntry(walk.upload, `${prefix}: a damaged header`, "damaged");
    const size = numberAt(header, 124, 12);
    const type = String.fromCharCode(header[156]!);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (type === "L" || type === "x") {
      if (size > MAX_META_BYTES) refuseEntry(walk.upload, `${prefix}: a header too long`, "damaged");
      const meta = (await reader.take(padded)).subarray(0, size).toString("utf8");
      longName =
        type === "L" ? meta.replace(/\0.*$/s, "") : (/(?:^|\n)\d+ path=([^\n]*)\n/.exec(meta)?.[1] ?? longName);
      continue;
    }
    const name = longName ?? headerName(header);
    longName = null;
    countEntries(walk, 1);
    const file = FILE_TYPES.has(type);
    if (file) await judgeTarFile(walk, reader, `${prefix}${name}`, size, depth);
    const rest = file ? padded - size : padded;
    if ((await reader.skip(rest)) < rest) refuseEntry(walk.upload, `${prefix}${name}: cut short`, "damaged");
  }
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
