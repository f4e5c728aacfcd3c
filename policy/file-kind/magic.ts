// The magic-number table of the file-kind detector (index.ts): byte patterns at fixed offsets, each citing
// its source, with a header check where a short magic would misfire and a container reader where the magic is shared.

import type { FileKind } from "./kind";
import { bytesOf, hasBytesAt } from "./bytes";
import {
  id3TagLength,
  isBmpHeader,
  isBzip2Stream,
  isElfIdent,
  isFatMachO,
  isFlacStreamInfo,
  isIconDirectory,
  isJavaClass,
  isMpegLayer3Stream,
  isTarHeader,
  mpegLayer3FrameLength,
} from "./checks";
import { ebmlKind, ftypKind, oggKind } from "./media";
import { PLAIN_ZIP, zipKind } from "./zip";

/** `[offset, bytes]`, the bytes written as a Latin-1 string. */
type Pattern = readonly [offset: number, bytes: string];

/** An entry whose patterns name one kind, optionally after a header `check`. */
interface KnownSignature {
  at: readonly Pattern[];
  file: FileKind;
  check?: (bytes: Uint8Array) => boolean;
}

/** An entry whose patterns name a container; `read` tells what is inside, or null if it cannot. */
interface ContainerSignature {
  at: readonly Pattern[];
  container: string;
  read: (bytes: Uint8Array) => FileKind | null;
}

export type Signature = KnownSignature | ContainerSignature;

export const PDF: FileKind = { kind: "pdf", mime: "application/pdf", category: "document" };
const MACHO: FileKind = { kind: "macho", mime: "application/x-mach-binary", category: "executable" };
const TIFF: FileKind = { kind: "tif", mime: "image/tiff", category: "image" };
const GIF: FileKind = { kind: "gif", mime: "image/gif", category: "image" };
const RAR: FileKind = { kind: "rar", mime: "application/vnd.rar", category: "archive" };
const TAR: FileKind = { kind: "tar", mime: "application/x-tar", category: "archive" };
const MP3: FileKind = { kind: "mp3", mime: "audio/mpeg", category: "audio" };

/** Every signature, tried in order; the first whose patterns and check hold decides. */
export const SIGNATURES: readonly Signature[] = [
  // Images
  // PNG (Third Edition) §5.2 "PNG signature"
  { at: [[0, "\x89PNG\r\n\x1a\n"]], file: { kind: "png", mime: "image/png", category: "image" } },
  // ITU-T T.81 §B.1.1.2: SOI then the next marker's 0xFF; mimesniff §6.1 "FF D8 FF"
  { at: [[0, "\xff\xd8\xff"]], file: { kind: "jpg", mime: "image/jpeg", category: "image" } },
  // GIF89a specification §17 "Header" (both versions)
  { at: [[0, "GIF87a"]], file: GIF },
  { at: [[0, "GIF89a"]], file: GIF },
  // RFC 9649 §2.5 "RIFF Header": "RIFF", size, "WEBP"
  {
    at: [
      [0, "RIFF"],
      [8, "WEBP"],
    ],
    file: { kind: "webp", mime: "image/webp", category: "image" },
  },
  // Microsoft BITMAPFILEHEADER: "BM", size, two reserved words that are zero
  {
    at: [
      [0, "BM"],
      [6, "\0\0\0\0"],
    ],
    check: isBmpHeader,
    file: { kind: "bmp", mime: "image/bmp", category: "image" },
  },
  // Microsoft ICONDIR: reserved 0, type 1 (icon); mimesniff §6.1 image/x-icon
  { at: [[0, "\0\0\x01\0"]], check: isIconDirectory, file: { kind: "ico", mime: "image/x-icon", category: "image" } },
  // TIFF 6.0 §2 "Image File Header": byte order then 42
  { at: [[0, "II*\0"]], file: TIFF },
  { at: [[0, "MM\0*"]], file: TIFF },

  // Documents
  // ISO 32000-2 §7.5.2 "File header"; mimesniff §7.1 "%PDF-"
  { at: [[0, "%PDF-"]], file: PDF },
  // Rich Text Format 1.9.1 §"RTF Syntax": {\rtfN
  { at: [[0, "{\\rtf"]], file: { kind: "rtf", mime: "application/rtf", category: "document" } },
  // [MS-CFB] §2.2 "Compound File Header" signature: .doc, .xls, .ppt, .msg (and .msi, see index.ts)
  {
    at: [[0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]],
    file: { kind: "cfb", mime: "application/x-cfb", category: "document" },
  },

  // Archives
  // APPNOTE.TXT 6.3.10 §4.3.7 local file header: ZIP, and the formats built on it (zip.ts)
  { at: [[0, "PK\x03\x04"]], container: "zip", read: zipKind },
  // APPNOTE.TXT §4.3.16 end of central directory record first: an empty ZIP
  { at: [[0, "PK\x05\x06"]], file: PLAIN_ZIP },
  // RARLAB "RAR 5.0 archive format" §"Archive signature", and RAR 1.5–4.x
  { at: [[0, "Rar!\x1a\x07\x01\0"]], file: RAR },
  { at: [[0, "Rar!\x1a\x07\0"]], file: RAR },
  // 7z format (7zFormat.txt) "SignatureHeader"
  { at: [[0, "7z\xbc\xaf\x27\x1c"]], file: { kind: "7z", mime: "application/x-7z-compressed", category: "archive" } },
  // RFC 1952 §2.3.1: ID1 ID2, CM 8 (deflate); mimesniff §6.3
  { at: [[0, "\x1f\x8b\x08"]], file: { kind: "gz", mime: "application/gzip", category: "archive" } },
  // bzip2 "BZh" and a block size digit (checks.ts)
  { at: [[0, "BZh"]], check: isBzip2Stream, file: { kind: "bz2", mime: "application/x-bzip2", category: "archive" } },
  // The .xz File Format 1.2.0 §2.1.1.1 "Header Magic Bytes"
  { at: [[0, "\xfd7zXZ\0"]], file: { kind: "xz", mime: "application/x-xz", category: "archive" } },
  // RFC 8878 §3.1.1 Zstandard frame magic 0xFD2FB528, little-endian
  { at: [[0, "\x28\xb5\x2f\xfd"]], file: { kind: "zst", mime: "application/zstd", category: "archive" } },
  // POSIX.1-2017 pax "ustar Interchange Format": magic "ustar\0" version "00"; and GNU tar's "ustar  \0"
  { at: [[257, "ustar\x0000"]], check: isTarHeader, file: TAR },
  { at: [[257, "ustar  \0"]], check: isTarHeader, file: TAR },

  // Audio
  // ID3v2.4.0 structure §3.1 "ID3v2 header": a tag that may front any audio; what follows it decides
  { at: [[0, "ID3"]], container: "id3", read: afterId3Tag },
  // ISO/IEC 11172-3 §2.4.1.3 frame header, Layer III, two frames in a row (checks.ts)
  { at: [[0, "\xff"]], check: isMpegLayer3Stream, file: MP3 },
  // RFC 2361 / Microsoft RIFF: "RIFF", size, "WAVE"
  {
    at: [
      [0, "RIFF"],
      [8, "WAVE"],
    ],
    file: { kind: "wav", mime: "audio/wav", category: "audio" },
  },
  // RFC 9639 §8 "fLaC" then STREAMINFO
  { at: [[0, "fLaC"]], check: isFlacStreamInfo, file: { kind: "flac", mime: "audio/flac", category: "audio" } },
  // RFC 3533 §6 Ogg page capture pattern "OggS"; the codec in media.ts
  { at: [[0, "OggS"]], container: "ogg", read: oggKind },

  // Video (and the ISO-BMFF images and audio, by brand)
  // ISO/IEC 14496-12 §4.3 "File Type Box" first; mimesniff §6.2.1 — brands in media.ts
  { at: [[4, "ftyp"]], container: "iso-bmff", read: ftypKind },
  // RFC 8794 §11.2 EBML header ID 0x1A45DFA3 — DocType in media.ts
  { at: [[0, "\x1a\x45\xdf\xa3"]], container: "ebml", read: ebmlKind },
  // Microsoft "AVI RIFF File Reference": "RIFF", size, "AVI "
  {
    at: [
      [0, "RIFF"],
      [8, "AVI "],
    ],
    file: { kind: "avi", mime: "video/x-msvideo", category: "video" },
  },

  // Executables
  // System V gABI "ELF Identification": 0x7F "ELF" then class, data, version (checks.ts)
  { at: [[0, "\x7fELF"]], check: isElfIdent, file: { kind: "elf", mime: "application/x-elf", category: "executable" } },
  // PE Format (Microsoft Learn) "MS-DOS Stub": "MZ" alone, as file(1) and file-type do. A DOS program or a
  // PE whose "PE\0\0" lies past the window is just as executable, and this can only err towards danger.
  {
    at: [[0, "MZ"]],
    file: { kind: "exe", mime: "application/vnd.microsoft.portable-executable", category: "executable" },
  },
  // <mach-o/loader.h> MH_MAGIC, MH_CIGAM, MH_MAGIC_64, MH_CIGAM_64 (32/64-bit, both byte orders)
  { at: [[0, "\xfe\xed\xfa\xce"]], file: MACHO },
  { at: [[0, "\xce\xfa\xed\xfe"]], file: MACHO },
  { at: [[0, "\xfe\xed\xfa\xcf"]], file: MACHO },
  { at: [[0, "\xcf\xfa\xed\xfe"]], file: MACHO },
  // <mach-o/fat.h> FAT_MAGIC, a universal binary; shares 0xCAFEBABE with Java (checks.ts)
  { at: [[0, "\xca\xfe\xba\xbe"]], check: isFatMachO, file: MACHO },
  // JVMS §4.1 "The ClassFile Structure": magic 0xCAFEBABE
  {
    at: [[0, "\xca\xfe\xba\xbe"]],
    check: isJavaClass,
    file: { kind: "class", mime: "application/java-vm", category: "executable" },
  },
  // WebAssembly Core §5.5.16 "Modules": magic "\0asm", version 1
  { at: [[0, "\0asm\x01\0\0\0"]], file: { kind: "wasm", mime: "application/wasm", category: "executable" } },

  // Scripts
  // POSIX exec / Linux binfmt_script: "#!" names an interpreter; no registered type, so text/plain
  { at: [[0, "#!"]], file: { kind: "shebang", mime: "text/plain", category: "script" } },
];

/**
 * What follows an ID3v2 tag: MP3 if the tag fills the window or an MPEG Layer III frame follows it, else
 * whatever the rest matches (a tagged FLAC), else nothing: a tag glued to text or HTML is not audio.
 */
function afterId3Tag(bytes: Uint8Array): FileKind | null {
  const length = id3TagLength(bytes);
  if (length === 0) return null;
  const rest = bytes.subarray(length);
  if (rest.length < 4 || mpegLayer3FrameLength(rest, 0) > 0) return MP3;
  return matchSignature(rest)?.file ?? null;
}

// Compiled once: the patterns as bytes.
const COMPILED = SIGNATURES.map((signature) => ({
  signature,
  at: signature.at.map(([offset, pattern]) => [offset, bytesOf(pattern)] as const),
}));

/** The first signature that matches `bytes`, and the kind it says; null if none does. */
export function matchSignature(bytes: Uint8Array): { signature: Signature; file: FileKind } | null {
  for (const { signature, at } of COMPILED) {
    if (!at.every(([offset, pattern]) => hasBytesAt(bytes, offset, pattern))) continue;
    const file =
      "read" in signature ? signature.read(bytes) : !signature.check || signature.check(bytes) ? signature.file : null;
    if (file) return { signature, file };
  }
  return null;
}
