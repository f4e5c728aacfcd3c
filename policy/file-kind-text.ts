// Whether a sniffed window is plain text: UTF-8 (BOM or not) or UTF-16 with a BOM, well formed, with no
// WHATWG "binary data byte". Decoded by hand: the policy build has no TextDecoder.

/** A window read as text. */
export interface SniffedText {
  /** For markup sniffing: UTF-16 code units, or for UTF-8 one char per byte (ASCII patterns match either). */
  text: string;
  /** Well formed in its encoding and free of binary data bytes. */
  plain: boolean;
}

// mimesniff §3 "binary data byte": 0x00–0x08, 0x0B, 0x0E–0x1A, 0x1C–0x1F. Tab, LF, FF, CR and ESC are text.
function isBinaryDataByte(unit: number): boolean {
  return unit <= 0x08 || unit === 0x0b || (unit >= 0x0e && unit <= 0x1a) || (unit >= 0x1c && unit <= 0x1f);
}

/**
 * Reads `bytes` as text, taking the encoding from a BOM (mimesniff §7.1 rows for UTF-16BE, UTF-16LE and
 * UTF-8 BOMs) and UTF-8 otherwise. The BOM itself is not part of `text`.
 */
export function readText(bytes: Uint8Array): SniffedText {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return readUtf16(bytes.subarray(2), false);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return readUtf16(bytes.subarray(2), true);
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  let text = "";
  let binary = false;
  for (const byte of body) {
    text += String.fromCharCode(byte);
    binary ||= isBinaryDataByte(byte);
  }
  return { text, plain: !binary && isUtf8(body) };
}

function readUtf16(body: Uint8Array, littleEndian: boolean): SniffedText {
  let text = "";
  let plain = true;
  let highSurrogate = false;
  // An odd last byte is half a code unit cut off by the window: ignored, like any truncated sequence.
  for (let i = 0; i + 1 < body.length; i += 2) {
    const unit = littleEndian ? (body[i] ?? 0) | ((body[i + 1] ?? 0) << 8) : ((body[i] ?? 0) << 8) | (body[i + 1] ?? 0);
    text += String.fromCharCode(unit);
    const isHigh = unit >= 0xd800 && unit <= 0xdbff;
    const isLow = unit >= 0xdc00 && unit <= 0xdfff;
    if (isBinaryDataByte(unit) || isLow !== highSurrogate) plain = false;
    highSurrogate = isHigh;
  }
  return { text, plain };
}

/**
 * Well-formed UTF-8 (Unicode 15 Table 3-7: no overlongs, no surrogates, nothing above U+10FFFF).
 * A sequence cut off by the end of the window is accepted: the caller may hand us a prefix of the file.
 */
function isUtf8(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    // [length, lowest and highest allowed second byte] per lead byte, from Table 3-7.
    const [length, low, high] =
      lead >= 0xc2 && lead <= 0xdf ? [2, 0x80, 0xbf]
      : lead === 0xe0 ? [3, 0xa0, 0xbf]
      : lead === 0xed ? [3, 0x80, 0x9f]
      : lead >= 0xe1 && lead <= 0xef ? [3, 0x80, 0xbf]
      : lead === 0xf0 ? [4, 0x90, 0xbf]
      : lead === 0xf4 ? [4, 0x80, 0x8f]
      : lead >= 0xf1 && lead <= 0xf3 ? [4, 0x80, 0xbf]
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
