// Header checks behind short magic numbers in magic.ts: a few fields that must hold before two or three
// bytes are taken as a format, so text that merely starts with "BM" or "ID3" is still text.

import { bytesOf, hasBytesAt, u16be, u16le, u32be, u32le, u8 } from "./bytes";

/** A BMP file header followed by a known DIB header size (Microsoft "Bitmap header types"). */
export function isBmpHeader(bytes: Uint8Array): boolean {
  // BITMAPCOREHEADER 12, INFOHEADER 40, V2/V3INFOHEADER 52/56, OS22XBITMAPHEADER 64, V4 108, V5 124.
  return [12, 40, 52, 56, 64, 108, 124].includes(u32le(bytes, 14));
}

/** An ICONDIR with type 1 and at least one entry whose reserved byte is 0 (Microsoft "Icons", ICONDIR). */
export function isIconDirectory(bytes: Uint8Array): boolean {
  return u16le(bytes, 4) > 0 && u8(bytes, 9) === 0;
}

/**
 * The length of the ID3v2 tag at the start, header and footer included, or 0 if the header is not one:
 * version 2–4, known flag bits only, a syncsafe size (ID3v2.4 structure §3.1, footer §3.4).
 */
export function id3TagLength(bytes: Uint8Array): number {
  const version = u8(bytes, 3);
  const flags = u8(bytes, 5);
  const size = [6, 7, 8, 9].map((i) => u8(bytes, i));
  const valid =
    version >= 2 &&
    version <= 4 &&
    u8(bytes, 4) < 0xff &&
    (flags & 0x0f) === 0 &&
    size.every((b) => b >= 0 && b < 0x80);
  return valid ? 10 + size.reduce((total, b) => total * 128 + b, 0) + (flags & 0x10 ? 10 : 0) : 0;
}

// ISO/IEC 11172-3 §2.4.2.3 and 13818-3 §2.4.2.3: Layer III bit rates (kbit/s) by index, and sampling rates.
const MPEG1_L3_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MPEG2_L3_KBPS = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES: Record<number, readonly number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

/** The length in bytes of the MPEG Layer III frame whose header starts at `offset`, or 0 if it is not one. */
export function mpegLayer3FrameLength(bytes: Uint8Array, offset: number): number {
  const b1 = u8(bytes, offset + 1);
  const b2 = u8(bytes, offset + 2);
  if (u8(bytes, offset) !== 0xff || (b1 & 0xe0) !== 0xe0 || u8(bytes, offset + 3) < 0) return 0;
  const version = (b1 >> 3) & 3; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5, 1 reserved
  const layer = (b1 >> 1) & 3; // 1 = Layer III
  const bitrate = (version === 3 ? MPEG1_L3_KBPS : MPEG2_L3_KBPS)[b2 >> 4] ?? 0; // index 0 "free" and 15 "bad" fail
  const rate = SAMPLE_RATES[version]?.[(b2 >> 2) & 3];
  const emphasis = u8(bytes, offset + 3) & 3; // 2 is reserved
  if (layer !== 1 || bitrate === 0 || rate === undefined || emphasis === 2) return 0;
  const padding = (b2 >> 1) & 1;
  return Math.floor(((version === 3 ? 144_000 : 72_000) * bitrate) / rate) + padding;
}

/**
 * An MPEG audio Layer III frame header at 0 whose successor frame header also checks out. Two bytes of
 * frame sync alone would misfire on one random file in a few thousand, so the second frame is required.
 */
export function isMpegLayer3Stream(bytes: Uint8Array): boolean {
  const length = mpegLayer3FrameLength(bytes, 0);
  return length > 0 && mpegLayer3FrameLength(bytes, length) > 0;
}

const BZIP2_BLOCK = bytesOf("\x31\x41\x59\x26\x53\x59"); // BCD pi: a compressed block follows
const BZIP2_END = bytesOf("\x17\x72\x45\x38\x50\x90"); // BCD sqrt(pi): end of stream (an empty file)

/** A block-size digit 1–9 then a block or end-of-stream magic (bzip2 format, Seward 2010, §"File format"). */
export function isBzip2Stream(bytes: Uint8Array): boolean {
  const level = u8(bytes, 3);
  return level >= 0x31 && level <= 0x39 && (hasBytesAt(bytes, 4, BZIP2_BLOCK) || hasBytesAt(bytes, 4, BZIP2_END));
}

/** STREAMINFO as the first metadata block, 34 bytes long (RFC 9639 §8.1, §8.2). */
export function isFlacStreamInfo(bytes: Uint8Array): boolean {
  return (u8(bytes, 4) & 0x7f) === 0 && u8(bytes, 5) === 0 && u16be(bytes, 6) === 34;
}

/** EI_CLASS 32/64-bit, EI_DATA LSB/MSB, EI_VERSION current (System V gABI, "ELF Identification"). */
export function isElfIdent(bytes: Uint8Array): boolean {
  return [1, 2].includes(u8(bytes, 4)) && [1, 2].includes(u8(bytes, 5)) && u8(bytes, 6) === 1;
}

// 0xCAFEBABE opens both a Java class and a Mach-O universal binary; the next word tells them apart,
// as file(1) does (Magdir/cafebabe): a fat header's nfat_arch is small, a class file's major version is 45+.
const MAX_FAT_ARCHS = 30;

/** A Mach-O universal ("fat") header with 1 to 30 architectures (<mach-o/fat.h>). */
export function isFatMachO(bytes: Uint8Array): boolean {
  const archs = u32be(bytes, 4);
  return archs >= 1 && archs <= MAX_FAT_ARCHS;
}

/** A class file major version of 45 (JDK 1.0) or later (JVMS §4.1). */
export function isJavaClass(bytes: Uint8Array): boolean {
  return u16be(bytes, 6) >= 45;
}

/** A tar header whose checksum field matches its bytes (POSIX.1-2017 pax, "ustar Interchange Format"). */
export function isTarHeader(bytes: Uint8Array): boolean {
  if (bytes.length < 512) return false;
  let sum = 0;
  // The checksum is the byte sum of the header with the checksum field itself read as eight spaces.
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (bytes[i] ?? 0);
  let stored = 0;
  let digits = 0;
  for (let i = 148; i < 156; i++) {
    const byte = u8(bytes, i);
    if (byte >= 0x30 && byte <= 0x37) {
      stored = stored * 8 + (byte - 0x30);
      digits++;
    } else if (byte !== 0x20 && byte !== 0) return false;
    else if (digits > 0) break;
  }
  return digits > 0 && stored === sum;
}
