// Media containers whose magic names the container, not the content: ISO-BMFF (`ftyp` brands), Ogg (the
// codec of the first packet) and EBML (the DocType). Each reader looks the answer up in a table below.

import type { FileKind } from "./kind";
import { bytesOf, hasBytesAt, latin1, u32be, u8 } from "./bytes";

interface Brand {
  brands: readonly string[];
  /** A brand that says "some HEIF" without naming the codec: a specific compatible brand wins over it. */
  generic?: true;
  file: FileKind;
}

/** `ftyp` brands (ISO/IEC 14496-12 §4.3; registry: https://mp4ra.org/registered-types/brands). */
export const FTYP_BRANDS: readonly Brand[] = [
  // AV1 Image File Format v1.1 §9.3 (image) and §9.4 (sequence)
  { brands: ["avif", "avis"], file: { kind: "avif", mime: "image/avif", category: "image" } },
  // ISO/IEC 23008-12 (HEIF) Annex B: HEVC images and image sequences
  {
    brands: ["heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs"],
    file: { kind: "heic", mime: "image/heic", category: "image" },
  },
  // ISO/IEC 23008-12 §10.2: any HEIF image (mif1, miaf) or sequence (msf1)
  { brands: ["mif1", "msf1", "miaf"], generic: true, file: { kind: "heif", mime: "image/heif", category: "image" } },
  // Apple iTunes audio (mp4ra: M4A, M4B audiobook, M4P protected); RFC 4337 audio/mp4
  { brands: ["M4A ", "M4B ", "M4P "], file: { kind: "m4a", mime: "audio/mp4", category: "audio" } },
  // Apple iTunes video (mp4ra: M4V, M4VH, M4VP)
  { brands: ["M4V ", "M4VH", "M4VP"], file: { kind: "m4v", mime: "video/x-m4v", category: "video" } },
  // QuickTime File Format, "File type compatibility atom"
  { brands: ["qt  "], file: { kind: "mov", mime: "video/quicktime", category: "video" } },
  // 3GPP TS 26.244 §5.4.2 and 3GPP2 C.S0050 (3g2*); RFC 3839
  {
    brands: ["3gp4", "3gp5", "3gp6", "3gp7", "3ge6", "3ge7", "3gg6", "3g2a", "3g2b", "3g2c"],
    file: { kind: "3gp", mime: "video/3gpp", category: "video" },
  },
  // ISO/IEC 14496-12 (isom, iso2–iso6), 14496-14 (mp41, mp42), 14496-15 (avc1), DASH (dash); RFC 4337
  {
    brands: ["isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "dash", "mmp4", "f4v "],
    file: { kind: "mp4", mime: "video/mp4", category: "video" },
  },
];

/**
 * The kind an ISO-BMFF `ftyp` box names: its major brand, else its first specific compatible brand, else a
 * generic one. Null when no brand is known: an MPEG-4 file of unknown brand is not positively identified.
 */
export function ftypKind(bytes: Uint8Array): FileKind | null {
  const size = u32be(bytes, 0);
  if (size < 16 || size % 4 !== 0) return null;
  const brandAt = (offset: number) =>
    FTYP_BRANDS.find((entry) => entry.brands.includes(latin1(bytes, offset, offset + 4)));
  const major = brandAt(8);
  if (major && !major.generic) return major.file;
  const compatible: Brand[] = [];
  for (let offset = 16; offset + 4 <= Math.min(size, bytes.length); offset += 4) {
    const brand = brandAt(offset);
    if (brand) compatible.push(brand);
  }
  return (compatible.find((brand) => !brand.generic) ?? major ?? compatible[0])?.file ?? null;
}

/** The first packet of an Ogg stream names its codec (each codec's identification header). */
export const OGG_CODECS: readonly { id: string; file: FileKind }[] = [
  // Vorbis I specification §4.2.2, identification header
  { id: "\x01vorbis", file: { kind: "ogg", mime: "audio/ogg", category: "audio" } },
  // RFC 7845 §5.1, Ogg Opus identification header
  { id: "OpusHead", file: { kind: "opus", mime: "audio/ogg", category: "audio" } },
  // FLAC in Ogg mapping (https://xiph.org/flac/ogg_mapping.html), RFC 9639 §10.1
  { id: "\x7fFLAC", file: { kind: "oga", mime: "audio/ogg", category: "audio" } },
  // Speex manual §"Ogg file format", Speex header
  { id: "Speex   ", file: { kind: "spx", mime: "audio/ogg", category: "audio" } },
  // Theora specification §6.2, identification header
  { id: "\x80theora", file: { kind: "ogv", mime: "video/ogg", category: "video" } },
];
const OGG_IDS = OGG_CODECS.map((codec) => ({ id: bytesOf(codec.id), file: codec.file }));

/** The codec of the first Ogg page, which must be version 0 and begin a stream (RFC 3533 §6). */
export function oggKind(bytes: Uint8Array): FileKind | null {
  const segments = u8(bytes, 26);
  if (u8(bytes, 4) !== 0 || (u8(bytes, 5) & 0x02) === 0 || segments < 1) return null;
  return OGG_IDS.find((codec) => hasBytesAt(bytes, 27 + segments, codec.id))?.file ?? null;
}

/** EBML DocType values (RFC 8794 §11.2.6; Matroska RFC 9559 §4.1; WebM container guidelines). */
export const EBML_DOCTYPES: readonly { docType: string; file: FileKind }[] = [
  { docType: "webm", file: { kind: "webm", mime: "video/webm", category: "video" } },
  { docType: "matroska", file: { kind: "mkv", mime: "video/x-matroska", category: "video" } },
];

const DOCTYPE_ID = 0x4282; // RFC 8794 §11.2.6

/** A variable-size integer (RFC 8794 §4): its value (marker bit kept for IDs) and length, or null. */
function readVint(bytes: Uint8Array, offset: number, keepMarker: boolean): { value: number; length: number } | null {
  const first = u8(bytes, offset);
  if (first <= 0) return null; // 0x00 would be longer than 8 bytes; -1 is past the end
  const length = Math.clz32(first) - 23;
  if (offset + length > bytes.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + u8(bytes, offset + i);
  return { value, length };
}

/** The DocType in the EBML header that opens the file, looked up in EBML_DOCTYPES. */
export function ebmlKind(bytes: Uint8Array): FileKind | null {
  const headerSize = readVint(bytes, 4, false);
  if (!headerSize) return null;
  let offset = 4 + headerSize.length;
  const end = Math.min(offset + headerSize.value, bytes.length);
  while (offset < end) {
    const id = readVint(bytes, offset, true);
    const size = id && readVint(bytes, offset + id.length, false);
    if (!id || !size) return null;
    const data = offset + id.length + size.length;
    if (id.value === DOCTYPE_ID) {
      const docType = latin1(bytes, data, data + size.value).replace(/\0+$/, "");
      return EBML_DOCTYPES.find((entry) => entry.docType === docType)?.file ?? null;
    }
    offset = data + size.value;
  }
  return null;
}
