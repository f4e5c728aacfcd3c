// Reading numbers, patterns and ASCII out of a sniffed window for the file-kind detector (index.ts).
// A read past the end answers -1 (or a short string), so a truncated header fails to match and never throws.

/** The bytes of a pattern written as a Latin-1 string: `"\x89PNG"` is 89 50 4E 47. */
export function bytesOf(pattern: string): Uint8Array {
  return Uint8Array.from(pattern, (char) => char.charCodeAt(0) & 0xff);
}

/** Whether `pattern` sits in `bytes` at `offset`. */
export function hasBytesAt(bytes: Uint8Array, offset: number, pattern: Uint8Array): boolean {
  if (offset < 0 || offset + pattern.length > bytes.length) return false;
  for (let i = 0; i < pattern.length; i++) if (bytes[offset + i] !== pattern[i]) return false;
  return true;
}

/** The first offset at or after `from` where `pattern` starts, or -1. */
export function indexOfBytes(bytes: Uint8Array, pattern: Uint8Array, from: number): number {
  let offset = bytes.indexOf(pattern[0] ?? 0, Math.max(0, from));
  for (; offset >= 0 && offset + pattern.length <= bytes.length; offset = bytes.indexOf(pattern[0] ?? 0, offset + 1)) {
    if (hasBytesAt(bytes, offset, pattern)) return offset;
  }
  return -1;
}

/** The byte at `offset`, or -1 past the end. */
export function u8(bytes: Uint8Array, offset: number): number {
  return bytes[offset] ?? -1;
}

/** A little-endian 16-bit integer at `offset`, or -1 past the end. */
export function u16le(bytes: Uint8Array, offset: number): number {
  return offset + 2 > bytes.length ? -1 : u8(bytes, offset) | (u8(bytes, offset + 1) << 8);
}

/** A big-endian 16-bit integer at `offset`, or -1 past the end. */
export function u16be(bytes: Uint8Array, offset: number): number {
  return offset + 2 > bytes.length ? -1 : (u8(bytes, offset) << 8) | u8(bytes, offset + 1);
}

/** A little-endian 32-bit unsigned integer at `offset`, or -1 past the end. */
export function u32le(bytes: Uint8Array, offset: number): number {
  return offset + 4 > bytes.length ? -1 : u16le(bytes, offset) + u16le(bytes, offset + 2) * 0x10000;
}

/** A big-endian 32-bit unsigned integer at `offset`, or -1 past the end. */
export function u32be(bytes: Uint8Array, offset: number): number {
  return offset + 4 > bytes.length ? -1 : u16be(bytes, offset) * 0x10000 + u16be(bytes, offset + 2);
}

/** Bytes `start` to `end` (clamped to the window) as a Latin-1 string, for comparing with ASCII names. */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = "";
  for (let i = Math.max(0, start); i < Math.min(end, bytes.length); i++) text += String.fromCharCode(bytes[i] ?? 0);
  return text;
}
