// Whether a sniffed window is plain text: UTF-8 (BOM or not) or UTF-16 with a BOM, well formed, with no
// WHATWG "binary data byte" (XML that declares a single-byte encoding needs only the latter: index.ts).
// Decoded by hand: the policy build has no TextDecoder.

/** A window read as text. */
export interface SniffedText {
  /** Code units without the BOM: the bytes for UTF-8, UTF-16 code units otherwise. ASCII reads the same in both. */
  units: Uint8Array | Uint16Array;
  /** Well formed in its encoding and free of binary data bytes. */
  plain: boolean;
}

// mimesniff §3 "binary data byte": 0x00–0x08, 0x0B, 0x0E–0x1A, 0x1C–0x1F. Tab, LF, FF, CR and ESC are text.
export function hasBinaryDataByte(units: Uint8Array | Uint16Array): boolean {
  for (let i = 0; i < units.length; i++) {
    const unit = units[i] ?? 0;
    if (unit <= 0x08 || unit === 0x0b || (unit >= 0x0e && unit <= 0x1a) || (unit >= 0x1c && unit <= 0x1f)) return true;
  }
  return false;
}

/**
 * Reads `bytes` as text, taking the encoding from a BOM (mimesniff §7.1 rows for UTF-16BE, UTF-16LE and
 * UTF-8 BOMs) and UTF-8 otherwise.
 */
export function readText(bytes: Uint8Array): SniffedText {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return readUtf16(bytes.subarray(2), false);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return readUtf16(bytes.subarray(2), true);
  const units = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  return { units, plain: isBinaryFreeUtf8(units) };
}

function readUtf16(body: Uint8Array, littleEndian: boolean): SniffedText {
  // An odd last byte is half a code unit cut off by the window: dropped, like any truncated sequence.
  const units = new Uint16Array(body.length >> 1);
  for (let i = 0; i < units.length; i++) {
    const first = body[2 * i] ?? 0;
    const second = body[2 * i + 1] ?? 0;
    units[i] = littleEndian ? first | (second << 8) : (first << 8) | second;
  }
  let plain = !hasBinaryDataByte(units);
  for (let i = 0; i < units.length && plain; i++) {
    const unit = units[i] ?? 0;
    const previous = i > 0 ? (units[i - 1] ?? 0) : 0;
    // A low surrogate must follow a high one, and only a low one may.
    plain = (unit >= 0xdc00 && unit <= 0xdfff) === (previous >= 0xd800 && previous <= 0xdbff);
  }
  return { units, plain };
}

/** Code units as a string, a chunk per call: char by char costs four times as much, spreading nine. */
export function stringOf(units: Uint8Array | Uint16Array): string {
  let text = "";
  for (let i = 0; i < units.length; i += 1024) {
    // apply takes any array-like; the cast is for the ES2022 typing, which wants number[].
    text += String.fromCharCode.apply(null, units.subarray(i, i + 1024) as unknown as number[]);
  }
  return text;
}

/** ASCII's binary data bytes: controls other than tab, line feed, form feed, carriage return and escape. */
const BINARY_ASCII = /* @__PURE__ */ Uint8Array.from({ length: 0x80 }, (_, byte) =>
  byte <= 0x08 || byte === 0x0b || (byte >= 0x0e && byte <= 0x1a) || (byte >= 0x1c && byte <= 0x1f) ? 1 : 0,
);

/** The aligned 32-bit words that `bytes` lies in, so that four of its bytes are tested at once. */
function wordsOf(bytes: Uint8Array): Uint32Array {
  const start = bytes.byteOffset & ~3;
  return new Uint32Array(bytes.buffer, start, (bytes.byteOffset + bytes.length - start) >> 2);
}

/**
 * Whether the four bytes of `word` are all ASCII from 0x20 up (printable, or DEL): no high bit, and
 * none below 0x20 by the "has a byte less than n" test of Bit Twiddling Hacks (exact for n ≤ 128).
 */
function isPrintableAscii(word: number): boolean {
  return ((word | ((word - 0x20202020) & ~word)) & 0x80808080) === 0;
}

/**
 * Well-formed UTF-8 (Unicode 15 Table 3-7: no overlongs, no surrogates, nothing above U+10FFFF) without a
 * binary data byte, in one pass. A sequence cut off by the end of the window is accepted: the caller may
 * hand us a prefix of the file.
 */
function isBinaryFreeUtf8(bytes: Uint8Array): boolean {
  const words = wordsOf(bytes);
  // Where bytes[i] starts a word of `words`: i + phase is a multiple of 4.
  const phase = bytes.byteOffset & 3;
  let i = 0;
  while (i < bytes.length) {
    // ASCII, most text, in a tight loop: a file's kind is read for every entry of an archive, and this
    // was most of the cost. Four printable bytes at once where a word starts, else one table look-up a byte.
    let lead = bytes[i]!;
    while (lead < 0x80) {
      while (((i + phase) & 3) === 0 && i + 4 <= bytes.length && isPrintableAscii(words[(i + phase) >> 2]!)) i += 4;
      if (i === bytes.length) return true;
      lead = bytes[i]!;
      if (lead >= 0x80) break;
      if (BINARY_ASCII[lead] === 1) return false;
      if (++i === bytes.length) return true;
      lead = bytes[i]!;
    }
    // [length, lowest and highest allowed second byte] per lead byte, from Table 3-7.
    const [length, low, high] =
      lead >= 0xc2 && lead <= 0xdf
        ? [2, 0x80, 0xbf]
        : lead === 0xe0
          ? [3, 0xa0, 0xbf]
          : lead === 0xed
            ? [3, 0x80, 0x9f]
            : lead >= 0xe1 && lead <= 0xef
              ? [3, 0x80, 0xbf]
              : lead === 0xf0
                ? [4, 0x90, 0xbf]
                : lead === 0xf4
                  ? [4, 0x80, 0x8f]
                  : lead >= 0xf1 && lead <= 0xf3
                    ? [4, 0x80, 0xbf]
                    : [0, 0, 0];
    if (length === 0) return false;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return true; // truncated by the window
      const next = bytes[i + k] ?? 0;
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (next < min || next > max) return false;
    }
    i += length;
  }
  return true;
}
