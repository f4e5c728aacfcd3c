// PNG metadata stripped as the bytes pass, losslessly: the text chunks (tEXt, iTXt, zTXt), the EXIF chunk
// and the modification time (PNG Third Edition §11.3) are dropped, every other chunk passed as it is, and
// what follows IEND dropped. An EXIF chunk with an Orientation is replaced by one that holds only that.

import { crc32 } from "node:zlib";
import { ByteReader } from "./byte-reader";
import { orientationOf, orientationTiff } from "./exif";

const DROPPED = new Set(["tEXt", "iTXt", "zTXt", "eXIf", "tIME"]);
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
    if (!DROPPED.has(type)) {
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
