// ZIP-based formats told apart by the local file headers in the sniffed window (APPNOTE.TXT 6.3.10 §4.3.7):
// ODF and EPUB by a stored `mimetype` first entry, Office Open XML by its parts, Java and Android packages.

import type { FileKind } from "./kind";
import { bytesOf, hasBytesAt, indexOfBytes, latin1, u16le, u32le } from "./bytes";

/** A ZIP whose entries say nothing more. */
export const PLAIN_ZIP: FileKind = { kind: "zip", mime: "application/zip", category: "archive" };

/**
 * Packages whose first entry is `mimetype`, stored, holding the media type: ODF 1.3 Part 2 §3.3
 * ("MIME Media Type"), EPUB OCF 3.3 §4.3 ("The mimetype file"). The content is matched against `mime`.
 */
export const ZIP_MIMETYPES: readonly FileKind[] = [
  { kind: "odt", mime: "application/vnd.oasis.opendocument.text", category: "document" },
  { kind: "ods", mime: "application/vnd.oasis.opendocument.spreadsheet", category: "document" },
  { kind: "odp", mime: "application/vnd.oasis.opendocument.presentation", category: "document" },
  { kind: "epub", mime: "application/epub+zip", category: "document" },
];

/**
 * Office Open XML: the Content Types stream `[Content_Types].xml` (ECMA-376 Part 2 §10.1.2) and a part under
 * the folder Office writes each main part to (`/word/document.xml`, `/xl/workbook.xml`, `/ppt/presentation.xml`
 * in ECMA-376 Part 1 §11–13). The folders are a convention, not a rule; a package without them stays a ZIP.
 */
export const OOXML_FOLDERS: readonly { folder: string; file: FileKind }[] = [
  {
    folder: "word/",
    file: {
      kind: "docx",
      mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      category: "document",
    },
  },
  {
    folder: "xl/",
    file: {
      kind: "xlsx",
      mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      category: "document",
    },
  },
  {
    folder: "ppt/",
    file: {
      kind: "pptx",
      mime: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      category: "document",
    },
  },
];

/** Entries that make a ZIP a program package, which runs on a double click: first match in this order wins. */
export const ZIP_PACKAGES: readonly { entry: string; file: FileKind }[] = [
  // Android: the manifest and the Dalvik bytecode of an APK (developer.android.com, "App manifest overview")
  {
    entry: "AndroidManifest.xml",
    file: { kind: "apk", mime: "application/vnd.android.package-archive", category: "executable" },
  },
  {
    entry: "classes.dex",
    file: { kind: "apk", mime: "application/vnd.android.package-archive", category: "executable" },
  },
  // JAR File Specification, "The META-INF directory"
  { entry: "META-INF/MANIFEST.MF", file: { kind: "jar", mime: "application/java-archive", category: "executable" } },
];

const LOCAL_HEADER = bytesOf("PK\x03\x04");
const MAX_ENTRIES = 64; // plenty for the first 4 KiB; bounds the walk on crafted input
const DATA_DESCRIPTOR_FLAG = 0x08; // §4.4.4 bit 3: sizes follow the data, the header holds zeros
const ZIP64_SIZE = 0xffffffff; // §4.5.3: the real size is in the ZIP64 extra field

/** The ZIP-based kind of a file that starts with a local file header; a plain ZIP when nothing more is known. */
export function zipKind(bytes: Uint8Array): FileKind {
  let offset = 0;
  let contentTypes = false;
  let ooxml: FileKind | undefined;
  let program: number | undefined;
  for (let index = 0; index < MAX_ENTRIES && hasBytesAt(bytes, offset, LOCAL_HEADER); index++) {
    const flags = u16le(bytes, offset + 6);
    const method = u16le(bytes, offset + 8);
    const size = u32le(bytes, offset + 18);
    const nameStart = offset + 30;
    const nameEnd = nameStart + u16le(bytes, offset + 26);
    const dataStart = nameEnd + u16le(bytes, offset + 28);
    if (size < 0 || dataStart > bytes.length) break;
    const name = latin1(bytes, nameStart, nameEnd);

    if (index === 0 && name === "mimetype" && method === 0 && dataStart + size <= bytes.length) {
      const declared = ZIP_MIMETYPES.find((file) => file.mime === latin1(bytes, dataStart, dataStart + size));
      if (declared) return declared;
    }
    contentTypes ||= name === "[Content_Types].xml";
    ooxml ??= OOXML_FOLDERS.find((part) => name.startsWith(part.folder))?.file;
    if (contentTypes && ooxml) return ooxml;
    const found = ZIP_PACKAGES.findIndex((marker) => marker.entry === name);
    if (found >= 0 && (program === undefined || found < program)) program = found;

    const sizeKnown = !((flags & DATA_DESCRIPTOR_FLAG) !== 0 && size === 0) && size !== ZIP64_SIZE;
    // With the size unknown, the next entry is found by its signature, as streaming unzippers do.
    offset = sizeKnown ? dataStart + size : indexOfBytes(bytes, LOCAL_HEADER, dataStart);
  }
  return program === undefined ? PLAIN_ZIP : (ZIP_PACKAGES[program]?.file ?? PLAIN_ZIP);
}
