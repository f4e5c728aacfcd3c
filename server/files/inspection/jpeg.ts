// JPEG metadata stripped as the bytes pass, losslessly: the segments before the first scan are walked
// (ITU-T T.81 §B.1.1.4) and those that carry metadata dropped (EXIF with GPS, XMP, IPTC, comments, other
// application segments); the scan data is passed as it is, and what follows the end-of-image marker
// (a second "multi-picture" image with its own metadata, or anything hidden there) is dropped.
// The EXIF segment is replaced by one that holds only the Orientation. Segments between the scans of a
// progressive JPEG are passed: writers put metadata before the first scan. No JavaScript library strips
// segments without decoding and re-encoding (sharp and jimp re-encode, losing quality); the format's
// segments are simple enough to walk here.

import { ByteReader } from "./byte-reader";
import { orientationOf, orientationTiff } from "./exif";

const APP0 = 0xe0; // JFIF: density, kept
const APP1 = 0xe1; // EXIF or XMP
const APP2 = 0xe2; // ICC profile (kept: colours depend on it), or FlashPix/MPF
const APP14 = 0xee; // Adobe: the colour transform, kept
const COM = 0xfe;
const SOS = 0xda;
const EOI = 0xd9;
const EXIF_HEADER = Buffer.from("Exif\0\0", "latin1");
const ICC_HEADER = Buffer.from("ICC_PROFILE\0", "latin1");
const END_OF_IMAGE = Buffer.from([0xff, EOI]);

/** Markers that stand alone, with no length: TEM and the restart markers. */
function standsAlone(code: number): boolean {
  return code === 0x01 || (code >= 0xd0 && code <= 0xd7);
}

/** Application segments and comments: the ones that may carry metadata. */
function mayBeMetadata(code: number): boolean {
  return code === COM || (code >= APP0 && code <= 0xef && code !== APP0 && code !== APP14);
}

/** Whether a segment that may be metadata is: APP2 is kept when it is an ICC profile. */
function isMetadata(code: number, body: Buffer): boolean {
  return code !== APP2 || !body.subarray(0, ICC_HEADER.length).equals(ICC_HEADER);
}

function segment(code: number, body: Buffer): Buffer {
  const header = Buffer.from([0xff, code, 0, 0]);
  header.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([header, body]);
}

/** The JPEG's bytes with their metadata stripped and their Orientation kept, as they come. */
export async function* stripJpeg(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const reader = new ByteReader(source);
  yield await reader.take(2);
  for (;;) {
    const code = await nextMarker(reader);
    if (code === null) return yield* reader.rest();
    const marker = Buffer.from([0xff, code]);
    if (standsAlone(code)) {
      yield marker;
      continue;
    }
    if (code === SOS || code === EOI) {
      yield marker;
      return yield* untilEndOfImage(reader, code === EOI);
    }
    const length = await reader.take(2);
    if (length.length < 2 || length.readUInt16BE(0) < 2) {
      yield* [marker, length];
      return yield* reader.rest();
    }
    const bodyLength = length.readUInt16BE(0) - 2;
    if (!mayBeMetadata(code)) {
      yield* [marker, length];
      yield* reader.pass(bodyLength);
      continue;
    }
    const body = await reader.take(bodyLength);
    if (!isMetadata(code, body)) yield Buffer.concat([marker, length, body]);
    else if (code === APP1 && body.subarray(0, EXIF_HEADER.length).equals(EXIF_HEADER)) {
      const orientation = orientationOf(body.subarray(EXIF_HEADER.length));
      if (orientation !== null) yield segment(APP1, Buffer.concat([EXIF_HEADER, orientationTiff(orientation)]));
    }
  }
}

/**
 * The next marker's code, past any fill bytes (T.81 §B.1.1.2); null when the bytes there are not a marker,
 * and then the rest is passed as it is, for a viewer to make what it can of.
 */
async function nextMarker(reader: ByteReader): Promise<number | null> {
  if ((await reader.peek(1))[0] !== 0xff) return null;
  await reader.take(1);
  let code = (await reader.take(1))[0];
  while (code === 0xff) code = (await reader.take(1))[0];
  return code ?? null;
}

/** The scans up to the end-of-image marker, passed; whatever follows it is read and dropped. */
async function* untilEndOfImage(reader: ByteReader, ended: boolean): AsyncGenerator<Buffer> {
  let previous = 0;
  for await (const chunk of reader.rest()) {
    if (ended) continue;
    const split = previous === 0xff && chunk[0] === EOI;
    const end = split ? 0 : chunk.indexOf(END_OF_IMAGE);
    if (end < 0) {
      previous = chunk[chunk.length - 1] ?? 0;
      yield chunk;
      continue;
    }
    ended = true;
    yield chunk.subarray(0, split ? 1 : end + 2);
  }
}
