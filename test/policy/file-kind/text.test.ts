// The plain-text test reads four ASCII bytes at a time where a word starts: held to a decoder's answer
// on windows of every alignment, mixing runs of ASCII, controls, UTF-8 and stray bytes.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readText } from "../../../policy/file-kind/text";

/** WHATWG's "binary data bytes" as characters (mimesniff §3). */
const isBinaryData = (code: number) =>
  code <= 0x08 || code === 0x0b || (code >= 0x0e && code <= 0x1a) || (code >= 0x1c && code <= 0x1f);

/** Well-formed UTF-8 but for a sequence cut off at the end (a streaming decoder holds it back), with no binary data byte. */
function plainByDecoder(bytes: Uint8Array): boolean {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
    return ![...text].some((char) => isBinaryData(char.charCodeAt(0)));
  } catch {
    return false;
  }
}

const piece = fc.oneof(
  fc
    .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 })
    .map((s) => new TextEncoder().encode(s)),
  fc.constantFrom(...[0x00, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b, 0x1f, 0x7f].map((byte) => Uint8Array.of(byte))),
  fc.string({ unit: "grapheme", maxLength: 6 }).map((s) => new TextEncoder().encode(s)),
  fc.uint8Array({ maxLength: 4 }),
);

describe("plain text", () => {
  it("is what a strict UTF-8 decoder says, at every alignment of the window", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.integer({ min: 0, max: 7 }), (pieces, offset) => {
        const body = Uint8Array.from(pieces.flatMap((bytes) => [...bytes]));
        fc.pre(!(body[0] === 0xfe || body[0] === 0xff || body[0] === 0xef));
        // The window inside a larger buffer, starting `offset` bytes in: the words it lies in are shifted.
        const window = new Uint8Array(new ArrayBuffer(body.length + 16), offset, body.length);
        window.set(body);
        expect(readText(window).plain).toBe(plainByDecoder(body));
      }),
      { numRuns: 3000 },
    );
  });
});
