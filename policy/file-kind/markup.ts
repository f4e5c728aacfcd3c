// HTML, SVG and XML told apart by the WHATWG MIME Sniffing rules, plus a look at the root element for SVG.
// https://mimesniff.spec.whatwg.org/#rules-for-identifying-an-unknown-mime-type

import type { FileKind } from "./kind";
import { stringOf } from "./text";

const HTML: FileKind = { kind: "html", mime: "text/html", category: "script" };
const SVG: FileKind = { kind: "svg", mime: "image/svg+xml", category: "script" };
const XHTML: FileKind = { kind: "xhtml", mime: "application/xhtml+xml", category: "script" };
const XML: FileKind = { kind: "xml", mime: "application/xml", category: "text" };
/** XML that a browser would turn into a page that runs script, were it ever rendered inline. */
const ACTIVE_XML: FileKind = { ...XML, category: "script" };
/**
 * XML that asks Windows to open it in Word or Excel (`<?mso-application progid=…?>`), which load the
 * remote pictures and stylesheets it names (ntlm_theft's .xml): text, but never under the name .xml.
 */
const OFFICE_XML: FileKind = { kind: "office-xml", mime: "application/xml", category: "text" };

/**
 * mimesniff §7.1, the text/html rows: each pattern is matched case-insensitively (mask 0xDF on letters)
 * after leading whitespace bytes and must be followed by a tag-terminating byte, a space or `>` (§3).
 */
export const HTML_PATTERNS = [
  "<!DOCTYPE HTML",
  "<HTML",
  "<HEAD",
  "<SCRIPT",
  "<IFRAME",
  "<H1",
  "<DIV",
  "<FONT",
  "<TABLE",
  "<A",
  "<STYLE",
  "<TITLE",
  "<B",
  "<BODY",
  "<BR",
  "<P",
  "<!--",
] as const;

// A non-unicode /i regex folds ASCII letters only (ECMA-262 Canonicalize never maps a non-ASCII
// character to ASCII), which is the spec's 0xDF mask. None of the patterns holds a regex metacharacter.
const HTML_START = new RegExp(`^(?:${HTML_PATTERNS.join("|")})[ >]`, "i");
// mimesniff §7.1 row "<?xml", matched exactly (mask 0xFF).
const XML_DECLARATION = "<?xml";
// XML served as XML runs script through the XHTML or SVG namespace (https://infra.spec.whatwg.org/#namespaces)
// or through an XSLT stylesheet (W3C "Associating Style Sheets with XML documents" §2).
const ACTIVE_XML_MARKERS = /http:\/\/www\.w3\.org\/(?:1999\/xhtml|2000\/svg)|<\?xml-stylesheet/;
const OFFICE_MARKER = "<?mso-application";
// An XML declaration that names a single-byte encoding in which ASCII reads as ASCII (XML 1.0 §4.3.3): the
// file is then text when it holds no binary data byte, whether or not its bytes happen to be UTF-8.
const SINGLE_BYTE_ENCODING =
  /^<\?xml\s[^>]*?\bencoding\s*=\s*["'](?:iso-8859-\d{1,2}|iso8859-\d{1,2}|latin-?1|windows-125\d|cp125\d|us-ascii|ascii)["']/i;

// mimesniff §3 "whitespace byte": TAB, LF, FF, CR, SPACE.
const WHITESPACE = [0x09, 0x0a, 0x0c, 0x0d, 0x20];

function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length && WHITESPACE.includes(text.charCodeAt(i))) i++;
  return i;
}

/** The index just past `end` searched from `from`, or -1 when the window ends first. */
function after(text: string, end: string, from: number): number {
  const at = text.indexOf(end, from);
  return at < 0 ? -1 : at + end.length;
}

/** The index just past a doctype's closing `>`, stepping over an internal subset `[…]`; -1 past the window. */
function afterDoctype(text: string, from: number): number {
  const close = text.indexOf(">", from);
  const subset = text.indexOf("[", from);
  if (subset < 0 || close < subset) return close < 0 ? -1 : close + 1;
  const subsetEnd = text.indexOf("]", subset);
  return subsetEnd < 0 ? -1 : after(text, ">", subsetEnd);
}

/**
 * The local name, lower-cased, of the first element after the prolog (XML declaration, processing
 * instructions, comments, a doctype with its internal subset, whitespace); null if none is in the window.
 */
function rootElement(text: string): string | null {
  let i = 0;
  for (;;) {
    i = skipWhitespace(text, i);
    if (text.startsWith("<?", i)) i = after(text, "?>", i + 2);
    else if (text.startsWith("<!--", i)) i = after(text, "-->", i + 4);
    else if (/^<!DOCTYPE/i.test(text.slice(i, i + 9))) i = afterDoctype(text, i + 9);
    else {
      const name = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(i, i + 256))?.[1];
      return name === undefined ? null : (name.split(":").pop() ?? name).toLowerCase();
    }
    if (i < 0) return null;
  }
}

/**
 * The markup kind of a window's code units: SVG by its root element (an SVG is XML, or HTML-ish text, whose
 * first element is `svg`), HTML by the WHATWG patterns, XML by its declaration. Null for anything else.
 */
export function sniffMarkup(units: Uint8Array | Uint16Array): FileKind | null {
  // Every rule starts with "<" after whitespace; only then is the window worth a string.
  let start = 0;
  while (start < units.length && WHITESPACE.includes(units[start] ?? 0)) start++;
  if (units[start] !== 0x3c) return null;
  const text = stringOf(units); // one char per code unit, so `start` indexes it too
  const root = rootElement(text);
  if (root === "svg") return SVG;
  if (HTML_START.test(text.slice(start, start + 16))) return HTML;
  if (!text.startsWith(XML_DECLARATION, start)) return null;
  if (root === "html") return XHTML;
  if (ACTIVE_XML_MARKERS.test(text)) return ACTIVE_XML;
  // A prolog longer than the window may still ask for Word after it.
  return root === null || text.includes(OFFICE_MARKER) ? OFFICE_XML : XML;
}

/** Whether a window that starts with an XML declaration declares a single-byte encoding (`ISO-8859-1`). */
export function declaresSingleByteEncoding(units: Uint8Array | Uint16Array): boolean {
  return units instanceof Uint8Array && SINGLE_BYTE_ENCODING.test(stringOf(units.subarray(0, 256)));
}
