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
import { Gathered } from "./gathered";

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

/** What walking the buffered bytes came to: bytes `used`, what to write, and what comes next. */
interface Walked {
  used: number;
  out: Buffer;
  /** `more`: `need` bytes from the first unused one make the next segment; `scan`: the image data starts. */
  next: { more: number } | { scan: "open" | "ended" } | "rest";
}

/** The JPEG's bytes with their metadata stripped and their Orientation kept, as they come. */
export async function* stripJpeg(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const reader = new ByteReader(source);
  yield await reader.take(2);
  for (;;) {
    // The segments already read are walked at once; the reader is awaited only for more bytes.
    const walked = walkSegments(reader.buffered);
    reader.consume(walked.used);
    if (walked.out.length > 0) yield walked.out;
    if (walked.next === "rest") return yield* reader.rest();
    if ("scan" in walked.next) return yield* untilEndOfImage(reader, walked.next.scan === "ended");
    // A file that ends before its image data has no image: what is left of its segments is dropped.
    if (!(await reader.has(walked.next.more))) return;
  }
}

/**
 * Walks the whole segments at the start of `view`. Bytes that are not a marker where one should be are
 * dropped, as libjpeg skips them ("extraneous bytes before marker"), so a segment after them is still read.
 */
function walkSegments(view: Buffer): Walked {
  const gathered = new Gathered(view);
  const walked = (used: number, next: Walked["next"]): Walked => ({ used, out: gathered.written(), next });
  for (let at = 0; ;) {
    const start = view.indexOf(0xff, at);
    if (start < 0) return walked(view.length, { more: 1 });
    let codeAt = start + 1;
    while (view[codeAt] === 0xff) codeAt++;
    if (codeAt + 3 > view.length) return walked(start, { more: codeAt + 3 - start });
    const code = view[codeAt]!;
    at = codeAt + 1;
    if (code === 0) continue; // 0xFF00 outside the image data is not a marker: dropped with the junk
    if (standsAlone(code)) gathered.range(codeAt - 1, at);
    else if (code === SOS || code === EOI) {
      gathered.range(codeAt - 1, at);
      return walked(at, { scan: code === EOI ? "ended" : "open" });
    } else {
      const length = view.readUInt16BE(at);
      if (length < 2) {
        gathered.range(codeAt - 1, at);
        return walked(at, "rest");
      }
      const end = at + length;
      if (end > view.length) return walked(start, { more: end - start });
      const body = view.subarray(at + 2, end);
      if (!mayBeMetadata(code) || !isMetadata(code, body)) gathered.range(codeAt - 1, end);
      else {
        const exif = orientationOnly(code, body);
        if (exif) gathered.other(exif);
      }
      at = end;
    }
  }
}

/** What is written for a metadata segment: nothing, or for an EXIF one a segment with only its Orientation. */
function orientationOnly(code: number, body: Buffer): Buffer | null {
  if (code !== APP1 || !body.subarray(0, EXIF_HEADER.length).equals(EXIF_HEADER)) return null;
  const orientation = orientationOf(body.subarray(EXIF_HEADER.length));
  return orientation === null ? null : segment(APP1, Buffer.concat([EXIF_HEADER, orientationTiff(orientation)]));
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
