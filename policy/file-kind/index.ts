// What a file is, from its first bytes: the kind, a MIME type and the policy category (DESIGN.md "File policy").
// The name can only make a file stricter (names.ts): text stays `text` only under a plain-text name
// (`notes.txt`), a name an OS acts on makes anything a script (`run.ps1`, `access.rdp`, a GIF named `x.js`),
// and text under any other name is `other`. It never makes anything more lenient.
//
// Order: the magic table (magic.ts, with readers for ZIP in zip.ts, ISO-BMFF, Ogg and EBML in media.ts, and
// ID3 tags), then markup and text (markup.ts, text.ts), then the name. Decisions a reader should know:
// - HTML, SVG and XHTML are `script`: they run in a browser. HTML and SVG count whatever bytes follow them.
// - Plain XML is `text` (application/xml) under a plain-text name or `.xml`: uploads are served as
//   attachments with `nosniff`, so it is never rendered. XML that asks for Word (`<?mso-application?>`) is
//   `office-xml`, `other` as `x.xml`. XML that names the XHTML or SVG namespace or an xml-stylesheet is
//   `script`, as it would run if it ever were rendered; its root element `html` makes it `xhtml`. XML that
//   declares a single-byte encoding (an Apache `site.xml` in ISO-8859-1) is text without being UTF-8.
// - An OLE compound file is `document` (old Office). An .msi is one too; telling it apart needs the
//   directory sector, usually past the first 4 KiB, so it is not attempted here.
// - Text whose first 1024 bytes hold `%PDF-` is a PDF: Acrobat opens such files
//   (PDF Reference 1.7, Appendix H, implementation note 13 on §3.4.1).
// - Fewer than two bytes, and anything not positively identified, is `unknown`, category `other`.

import { bytesOf, indexOfBytes } from "./bytes";
import type { FileKind } from "./kind";
import { matchSignature, PDF } from "./magic";
import { declaresSingleByteEncoding, sniffMarkup } from "./markup";
import { stricterByName } from "./names";
import { hasBinaryDataByte, readText } from "./text";

/** Detection never reads more than this many bytes from the start of a file. */
export const SNIFF_BYTES = 4096;

const UNKNOWN: FileKind = { kind: "unknown", mime: "application/octet-stream", category: "other" };
const TEXT: FileKind = { kind: "text", mime: "text/plain", category: "text" };
const MIN_TEXT_BYTES = 2; // one byte says nothing: it could be the start of anything
const PDF_HEADER_WINDOW = 1024;
const PDF_MAGIC = bytesOf("%PDF-");

/**
 * Detects what a file is from its first bytes; only the first SNIFF_BYTES are looked at.
 * The name, if given, only makes a file stricter: a script extension makes it a script, whatever its
 * bytes, since the OS would act on it on a double click (a GIF that is also valid JavaScript, saved as
 * `invoice.js`, runs); text takes the extension as its kind. Text under a name that is not plain text
 * (`.txt .csv .log .md .json`, or none; plain XML also as `.xml`) is `other`.
 * @example detectFile(pngBytes) // { kind: "png", mime: "image/png", category: "image" }
 * @example detectFile(utf8("Write-Host hi"), "run.ps1") // { kind: "ps1", mime: "text/plain", category: "script" }
 * @example detectFile(utf8("[General]"), "setup.ini") // { kind: "text", mime: "text/plain", category: "other" }
 */
export function detectFile(firstBytes: Uint8Array, name?: string): FileKind {
  const bytes = firstBytes.length > SNIFF_BYTES ? firstBytes.subarray(0, SNIFF_BYTES) : firstBytes;
  const found = matchSignature(bytes)?.file ?? sniffText(bytes) ?? UNKNOWN;
  return name === undefined ? found : stricterByName(found, name);
}

function sniffText(bytes: Uint8Array): FileKind | null {
  if (bytes.length < MIN_TEXT_BYTES) return null;
  const { units, plain } = readText(bytes);
  const markup = sniffMarkup(units);
  // Markup that runs script is dangerous whatever follows it, binary or not.
  if (markup?.category === "script") return markup;
  if (!plain && !(markup !== null && declaresSingleByteEncoding(units) && !hasBinaryDataByte(units))) return null;
  if (indexOfBytes(bytes.subarray(0, PDF_HEADER_WINDOW + PDF_MAGIC.length - 1), PDF_MAGIC, 0) >= 0) return PDF;
  return markup ?? TEXT;
}
