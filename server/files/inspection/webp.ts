// WebP metadata stripped losslessly (RIFF container, RFC 9649 §2.7): the chunks that draw the image are
// kept, every other one dropped (XMP, unknown chunks a reader may still take), the EXIF chunk dropped or
// replaced by one that holds only the Orientation, and the VP8X flags and the RIFF size made to match. The size comes first in the file and changes with what is dropped, so this takes two reads of the
// stored file: one to plan (the sizes), one to write; a WebP with no metadata is not rewritten.

import { ByteReader } from "./byte-reader";
import { orientationOf, orientationTiff } from "./exif";

/** What stripping changes: the new RIFF size, and the EXIF payload kept (the Orientation), if any. */
export interface WebpPlan {
  riffSize: number;
  exif: Buffer | null;
}

const HEADER_BYTES = 12;
const CHUNK_HEADER = 8;
/** An EXIF chunk larger than this is dropped unread: the Orientation is in the first bytes of any real one. */
const MAX_EXIF_READ = 64 * 1024;
const EXIF_FLAG = 0x08;
const XMP_FLAG = 0x04;
const EXIF_PREFIX = Buffer.from("Exif\0\0", "latin1");
/** The chunks that draw the image (RFC 9649 §2.5–2.7): bitstreams, alpha, animation, colour profile. */
const KEPT = new Set(["VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP"]);

function isWebp(header: Buffer): boolean {
  return (
    header.length === HEADER_BYTES &&
    header.toString("latin1", 0, 4) === "RIFF" &&
    header.toString("latin1", 8, 12) === "WEBP"
  );
}

/** The payload of a chunk, padded to an even length. */
function padded(size: number): number {
  return size + (size & 1);
}

/** Reads a stored WebP's chunks for what stripping would change; null when there is nothing to strip. */
export async function planWebp(bytes: AsyncIterable<Uint8Array>): Promise<WebpPlan | null> {
  const reader = new ByteReader(bytes);
  const header = await reader.take(HEADER_BYTES);
  if (!isWebp(header)) return null;
  let removed = 0;
  let exif: Buffer | null = null;
  let found = false;
  // Chunks already read are taken without awaiting (takeNow): a WebP may be thousands of tiny ones.
  for (;;) {
    const chunk = reader.takeNow(CHUNK_HEADER) ?? (await reader.take(CHUNK_HEADER));
    if (chunk.length !== CHUNK_HEADER) break;
    const fourcc = chunk.toString("latin1", 0, 4);
    const size = padded(chunk.readUInt32LE(4));
    const readsExif = fourcc === "EXIF" && size <= MAX_EXIF_READ;
    if (!KEPT.has(fourcc)) {
      found = true;
      removed += CHUNK_HEADER + size;
    }
    if (readsExif) exif ??= keptExif(reader.takeNow(size) ?? (await reader.take(size)));
    else if (reader.takeNow(size) === null) await reader.skip(size);
  }
  if (!found) return null;
  return { riffSize: header.readUInt32LE(4) - removed + (exif ? CHUNK_HEADER + exif.length : 0), exif };
}

/** The Orientation-only TIFF for an EXIF payload (some writers start it with "Exif\0\0"), or null. */
function keptExif(payload: Buffer): Buffer | null {
  const tiff = payload.subarray(0, EXIF_PREFIX.length).equals(EXIF_PREFIX)
    ? payload.subarray(EXIF_PREFIX.length)
    : payload;
  const orientation = orientationOf(tiff);
  return orientation === null ? null : orientationTiff(orientation);
}

/** Written bytes held until the walk must await, then given as one buffer. */
const HELD_BYTES = 64 * 1024;

/** The stored WebP written again as `plan` says. */
export async function* rewriteWebp(bytes: AsyncIterable<Uint8Array>, plan: WebpPlan): AsyncGenerator<Buffer> {
  const reader = new ByteReader(bytes);
  const header = Buffer.from(await reader.take(HEADER_BYTES));
  header.writeUInt32LE(plan.riffSize, 4);
  // What is written is gathered while the chunks are at hand and given when the walk must await.
  const held: Buffer[] = [header];
  let heldBytes = header.length;
  const hold = (...parts: Buffer[]) => {
    held.push(...parts);
    for (const part of parts) heldBytes += part.length;
  };
  function* release(): Generator<Buffer> {
    if (held.length > 0) yield Buffer.concat(held);
    held.length = 0;
    heldBytes = 0;
  }
  let exif = plan.exif;
  for (;;) {
    if (heldBytes >= HELD_BYTES) yield* release();
    let chunk = reader.takeNow(CHUNK_HEADER);
    if (chunk === null) {
      yield* release();
      chunk = await reader.take(CHUNK_HEADER);
    }
    if (chunk.length !== CHUNK_HEADER) break;
    const fourcc = chunk.toString("latin1", 0, 4);
    const size = padded(chunk.readUInt32LE(4));
    if (!KEPT.has(fourcc)) {
      if (reader.takeNow(size) === null) await reader.skip(size);
      // The Orientation once, where the first EXIF chunk was.
      if (fourcc === "EXIF" && exif) hold(exifChunk(exif));
      if (fourcc === "EXIF") exif = null;
      continue;
    }
    const body =
      fourcc === "VP8X" ? Buffer.from(reader.takeNow(size) ?? (await reader.take(size))) : reader.takeNow(size);
    if (body === null) {
      yield* release();
      yield chunk;
      yield* reader.pass(size);
      continue;
    }
    if (fourcc === "VP8X" && body.length > 0) body[0] = body[0]! & ~XMP_FLAG & ~(plan.exif ? 0 : EXIF_FLAG);
    hold(chunk, body);
  }
  yield* release();
}

function exifChunk(tiff: Buffer): Buffer {
  const header = Buffer.alloc(CHUNK_HEADER);
  header.write("EXIF", 0, "latin1");
  header.writeUInt32LE(tiff.length, 4);
  return Buffer.concat([header, tiff]);
}
