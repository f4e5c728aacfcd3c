// PDFs with active content, found as the bytes pass on their way to the store: the names of script,
// launch, embedded-file, rich-media and XFA entries (PDF 32000-1:2008 §12.6, §7.11.4, §13.2, §12.7.8), and
// `/Encrypt` in a trailer (§7.6.1), whose strings and streams then cannot be read.
//
// Rules, since attackers hide these:
// - Names are compared decoded: `/J#61vaScript` is `/JavaScript` (§7.3.5).
// - Dictionaries may sit inside compressed object streams (§7.5.7): a stream whose dictionary says
//   `/Type /ObjStm`, or has `/N` and `/First` as readers require, is inflated (one FlateDecode, no
//   DecodeParms) within a budget and its names judged the same way. An object stream under anything else (an
//   abbreviated or second filter, a predictor) is not read here and is refused as active content; one whose
//   inflation passes the budget is refused as a bomb.
// - Only a `stream` keyword outside comments and literal strings (§7.2.3, §7.3.4.2, with nesting and
//   escapes) starts a stream whose data is skipped: written in either, it hides nothing.
// - Any `/OpenAction` or `/AA` that runs script or launches names `/JavaScript`, `/JS` or `/Launch`, so
//   those names refuse the file; an OpenAction that only opens a page does not.
// - Other streams (pages, images, fonts) are skipped: names in them are not dictionary keys.
// - A truncated or damaged PDF is judged by the bytes it has. Names inside literal strings and comments are
//   not told apart from keys: a document whose text says "/JS" uncompressed is refused, a rare false alarm.
// - The scan reads the file in order, as pdfid does; a reader jumps to objects by the cross-reference table,
//   so bytes it never reads may start a stream here that covers objects it does read. That is this scan's
//   known limit; the virus scanner (clamd.ts) looks at the same bytes its own way.

import { promisify } from "node:util";
import { constants, inflate, type ZlibOptions } from "node:zlib";

type PdfFinding = "encrypted" | "active_content" | "archive_bomb";

const inflateAsync = promisify<Buffer, ZlibOptions, Buffer>(inflate);

/** Names that make a PDF active: scripts, launch actions, attached files, Flash/video, XFA forms. */
const ACTIVE_NAMES = new Set(["JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia", "XFA"]);
/** Every filter name but FlateDecode (§7.4, Table 6), the abbreviations of Table 94 that readers take in
 * any stream, and the parameters that would change what Flate gives. */
const UNREAD_FILTERING = new Set([
  "ASCIIHexDecode",
  "ASCII85Decode",
  "LZWDecode",
  "RunLengthDecode",
  "CCITTFaxDecode",
  "JBIG2Decode",
  "DCTDecode",
  "JPXDecode",
  "Crypt",
  "AHx",
  "A85",
  "LZW",
  "Fl",
  "RL",
  "CCF",
  "DCT",
  "DecodeParms",
  "DP",
]);
/** Inflated bytes one PDF's object streams may take altogether; real ones take kilobytes. */
const INFLATE_BUDGET = 64 * 1024 * 1024;
/** An object stream's compressed bytes held to inflate it. */
const MAX_OBJECT_STREAM = 16 * 1024 * 1024;
/** Text held back at a chunk's end so a name or keyword cut in two is read whole with the next chunk. */
const HOLD_BACK = 256;
const END_STREAM = "endstream";
/** The text between streams is made a string this much at a time. */
const TEXT_WINDOW = 64 * 1024;

/**
 * Names, the `stream` keyword (with its end of line), `obj`, and what opens and closes comments and literal
 * strings: `%`, ends of line, parentheses and a backslash with the character it escapes. A backslash ends a
 * name here so that `\)` in a string is read as the escape it is.
 */
// oxlint-disable-next-line no-control-regex -- NUL is white space in PDF (§7.2.2), ending a name
const TOKENS = /\/([^\x00\t\n\f\r ()<>[\]{}/%\\]*)|\bstream(?:\r\n|\n|\r)|\bobj\b|[%()\r\n]|\\[\s\S]?/g;

/** Where the scan is between streams: in plain text, a comment, or a literal string `depth` parentheses deep. */
type Lexical = { in: "text" } | { in: "comment" } | { in: "string"; depth: number };

/** A name as written, with its `#xx` escapes decoded. */
function decodeName(raw: string): string {
  return raw.includes("#")
    ? raw.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : raw;
}

/** Scans a PDF chunk by chunk: push each chunk as it passes, then `end()` for what it found. */
export class PdfScanner {
  private carry = Buffer.alloc(0);
  private inStream: { parts: Buffer[]; bytes: number; inflate: boolean } | null = null;
  private skipping = false;
  /** The names of the object being read, each with how often it appears. */
  private objectNames = new Map<string, number>();
  private lexical: Lexical = { in: "text" };
  private readonly findings = new Set<PdfFinding>();
  private inflated = 0;

  async push(chunk: Uint8Array): Promise<void> {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    await this.scan(this.carry.length === 0 ? bytes : Buffer.concat([this.carry, bytes]), false);
  }

  /** The first finding by weight (encryption hides the rest), or null for a PDF with none. */
  async end(): Promise<PdfFinding | null> {
    await this.scan(this.carry, true);
    return (
      (["encrypted", "active_content", "archive_bomb"] as const).find((finding) => this.findings.has(finding)) ?? null
    );
  }

  /**
   * Scans `bytes` (the carry and a new chunk). Stream data is searched as bytes for its end, never made text;
   * the text between streams is read in windows, each ending HOLD_BACK early unless it is the last.
   */
  private async scan(bytes: Buffer, final: boolean): Promise<void> {
    let at = 0;
    while (at < bytes.length) {
      if (this.inStream || this.skipping) {
        const end = bytes.indexOf(END_STREAM, at, "latin1");
        const stop = end >= 0 ? end : final ? bytes.length : Math.max(at, bytes.length - END_STREAM.length);
        this.collect(bytes.subarray(at, stop));
        if (end < 0 && !final) return void (this.carry = Buffer.from(bytes.subarray(stop)));
        await this.closeStream();
        at = end >= 0 ? end + END_STREAM.length : bytes.length;
        continue;
      }
      const windowEnd = Math.min(bytes.length, at + TEXT_WINDOW);
      const last = windowEnd === bytes.length;
      const read = this.scanText(bytes.toString("latin1", at, windowEnd), final && last);
      if ("stream" in read) at += read.stream;
      else if (!last) at += read.rest;
      else return void (this.carry = final ? Buffer.alloc(0) : Buffer.from(bytes.subarray(at + read.rest)));
    }
    this.carry = Buffer.alloc(0);
  }

  /**
   * Acts on the tokens of `text` until a stream starts (`stream`: where its data starts) or the text ends
   * (`rest`: where the text not yet acted on starts, HOLD_BACK from its end unless `final`).
   */
  private scanText(text: string, final: boolean): { stream: number } | { rest: number } {
    const limit = final ? text.length : text.length - HOLD_BACK;
    TOKENS.lastIndex = 0;
    for (let match = TOKENS.exec(text); match; match = TOKENS.exec(text)) {
      // Held back from the limit on: a token begun before it is whole (names of interest are short).
      if (match.index >= limit) return { rest: match.index };
      if (match[1] !== undefined) this.onName(decodeName(match[1]));
      else if (this.lexical.in === "text") {
        if (match[0] === "obj") this.objectNames = new Map();
        else if (match[0] === "%") this.lexical = { in: "comment" };
        else if (match[0] === "(") this.lexical = { in: "string", depth: 1 };
        else if (match[0].startsWith("stream")) return { stream: this.openStream(match.index + match[0].length) };
      } else this.onDelimiter(match[0]);
    }
    return { rest: Math.max(0, Math.min(text.length, limit)) };
  }

  /** A comment ends at the end of its line; a string at the parenthesis that balances its first. */
  private onDelimiter(token: string): void {
    const lexical = this.lexical;
    if (lexical.in === "comment" && (token === "\r" || token === "\n")) this.lexical = { in: "text" };
    else if (lexical.in === "string" && token === "(") lexical.depth++;
    else if (lexical.in === "string" && token === ")" && --lexical.depth === 0) this.lexical = { in: "text" };
  }

  private onName(name: string): void {
    this.objectNames.set(name, (this.objectNames.get(name) ?? 0) + 1);
    if (ACTIVE_NAMES.has(name)) this.findings.add("active_content");
    if (name === "Encrypt") this.findings.add("encrypted");
  }

  /** Starts a stream's data at `at`: kept to inflate when it is an object stream, else skipped. */
  private openStream(at: number): number {
    const names = this.objectNames;
    const objectStream = names.has("ObjStm") || (names.has("N") && names.has("First"));
    const flate = names.get("FlateDecode") ?? 0;
    if (!objectStream) this.skipping = true;
    else if (flate > 1 || [...names.keys()].some((name) => UNREAD_FILTERING.has(name))) {
      this.findings.add("active_content");
      this.skipping = true;
    } else this.inStream = { parts: [], bytes: 0, inflate: flate === 1 };
    return at;
  }

  private collect(data: Buffer): void {
    const stream = this.inStream;
    if (!stream || data.length === 0) return;
    stream.bytes += data.length;
    if (stream.bytes > MAX_OBJECT_STREAM) {
      this.findings.add("archive_bomb");
      this.inStream = null;
      this.skipping = true;
    } else stream.parts.push(Buffer.from(data));
  }

  /** Ends the stream being read: an object stream's names are judged from its (inflated) bytes. */
  private async closeStream(): Promise<void> {
    const stream = this.inStream;
    this.inStream = null;
    this.skipping = false;
    this.objectNames = new Map();
    if (!stream) return;
    const data = Buffer.concat(stream.parts);
    const objects = stream.inflate ? await this.inflate(data) : data;
    if (!objects) return;
    const text = objects.toString("latin1");
    for (const match of text.matchAll(TOKENS)) if (match[1] !== undefined) this.onName(decodeName(match[1]));
  }

  /** The stream inflated, within what is left of the budget; null when it is not valid Flate data. */
  private async inflate(data: Buffer): Promise<Buffer | null> {
    const budget = INFLATE_BUDGET - this.inflated;
    try {
      // A sync flush gives what a cut-off stream holds instead of an error.
      const out = await inflateAsync(data, {
        maxOutputLength: Math.max(1, budget),
        finishFlush: constants.Z_SYNC_FLUSH,
      });
      this.inflated += out.length;
      return out;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") this.findings.add("archive_bomb");
      return null;
    }
  }
}
