// PNG metadata stripped as the bytes pass, losslessly: critical chunks and the ancillary chunks that change
// how the image looks (colour, transparency, animation; PNG Third Edition §11.3) are passed as they are,
// every other ancillary chunk is dropped (text, EXIF under any spelling a reader takes, times, private
// chunks), and what follows IEND is dropped. An EXIF chunk with an Orientation is replaced by one that
// holds only that. Kept by name rather than dropped by name: a reader may take a chunk no list foresaw.

import { crc32 } from "node:zlib";
import { ByteReader } from "./byte-reader";
import { orientationOf, orientationTiff } from "./exif";

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
/** An EXIF chunk larger than this is dropped unread: the Orientation is in the first bytes of any real one. */
const MAX_EXIF_READ = 64 * 1024;

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** The PNG's bytes with their metadata chunks dropped, as they come. */
export async function* stripPng(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const reader = new ByteReader(source);
  yield await reader.take(8);
  for (;;) {
    const header = await reader.take(8);
    if (header.length < 8) return yield header;
    const length = header.readUInt32BE(0);
    const type = header.toString("latin1", 4, 8);
    if (isKept(type)) {
      yield header;
      yield* reader.pass(length + 4);
      if (type === "IEND") return void (await reader.skip(Number.POSITIVE_INFINITY));
      continue;
    }
    if (type === "eXIf" && length <= MAX_EXIF_READ) {
      const orientation = orientationOf(await reader.take(length));
      await reader.skip(4);
      if (orientation !== null) yield chunk("eXIf", orientationTiff(orientation));
    } else await reader.skip(length + 4);
  }
}
