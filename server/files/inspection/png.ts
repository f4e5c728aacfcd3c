// PNG metadata stripped as the bytes pass, losslessly: critical chunks and the ancillary chunks that change
// how the image looks (colour, transparency, animation; PNG Third Edition §11.3) are passed as they are,
// every other ancillary chunk is dropped (text, EXIF under any spelling a reader takes, times, private
// chunks), and what follows IEND is dropped. An EXIF chunk with an Orientation is replaced by one that
// holds only that. Kept by name rather than dropped by name: a reader may take a chunk no list foresaw.

import { crc32 } from "node:zlib";
import { ByteReader } from "./byte-reader";
import { orientationOf, orientationTiff } from "./exif";
import { Gathered } from "./gathered";

/** Ancillary chunks that change how the image is drawn: colour space, transparency, size, APNG frames. */
const KEPT_ANCILLARY = new Set([
  "tRNS",
  "cHRM",
  "gAMA",
  "iCCP",
  "sBIT",
  "sRGB",
  "cICP",
  "mDCv",
  "cLLi",
  "bKGD",
  "hIST",
  "pHYs",
  "sPLT",
  "acTL",
  "fcTL",
  "fdAT",
]);
/** A chunk's type says it is critical by an upper-case first letter (§5.4): decoders need those. */
const isKept = (type: string) => (type.charCodeAt(0) & 0x20) === 0 || KEPT_ANCILLARY.has(type);
/**
 * An EXIF chunk larger than this is dropped unread: the Orientation is in the first bytes of any real
 * one. Kept chunks up to this size are also read whole before they are written; longer ones stream.
 */
const MAX_EXIF_READ = 64 * 1024;

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** What walking the buffered chunks came to: bytes `used`, what to write, and what comes next. */
interface Walked {
  used: number;
  out: Buffer;
  /**
   * `more`: `need` bytes from the first unused one make the next chunk (`kept`: passed as it is if they
   * never come); `pass`/`skip`: a long chunk's remaining bytes, passed or dropped as they come; `end`: IEND.
   */
  next: { more: number; kept: boolean } | { pass: number } | { skip: number } | "end";
}

/** The PNG's bytes with their metadata chunks dropped, as they come. */
export async function* stripPng(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const reader = new ByteReader(source);
  yield await reader.take(8);
  for (;;) {
    // The chunks already read are walked at once; the reader is awaited only for more bytes.
    const walked = walkChunks(reader.buffered);
    reader.consume(walked.used);
    if (walked.out.length > 0) yield walked.out;
    const { next } = walked;
    if (next === "end") return void (await reader.skip(Number.POSITIVE_INFINITY));
    if ("pass" in next) yield* reader.pass(next.pass);
    else if ("skip" in next) await reader.skip(next.skip);
    else if (!(await reader.has(next.more))) {
      // A file cut short in a chunk: a kept one is passed as far as it goes, a dropped one is not.
      if (next.kept) yield* reader.rest();
      return;
    }
  }
}

/** Walks the chunks at the start of `view`: whole ones at once, a long one's start and how much follows. */
function walkChunks(view: Buffer): Walked {
  const gathered = new Gathered(view);
  const walked = (used: number, next: Walked["next"]): Walked => ({ used, out: gathered.written(), next });
  for (let at = 0; ;) {
    if (at + 8 > view.length) return walked(at, { more: 8, kept: true });
    const length = view.readUInt32BE(at);
    const type = view.toString("latin1", at + 4, at + 8);
    const end = at + 12 + length;
    const whole = end <= view.length;
    if (isKept(type)) {
      if (whole) gathered.range(at, end);
      else if (length <= MAX_EXIF_READ) return walked(at, { more: end - at, kept: true });
      else {
        gathered.range(at, view.length);
        return walked(view.length, { pass: end - view.length });
      }
      if (type === "IEND") return walked(end, "end");
    } else if (type === "eXIf" && length <= MAX_EXIF_READ) {
      if (!whole) return walked(at, { more: end - at, kept: false });
      const orientation = orientationOf(view.subarray(at + 8, end - 4));
      if (orientation !== null) gathered.other(chunk("eXIf", orientationTiff(orientation)));
    } else if (!whole) return walked(view.length, { skip: end - view.length });
    at = end;
  }
}
