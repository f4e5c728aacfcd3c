// PDFs whose active content is hidden: in a compressed object stream, behind `#xx` escapes in names, split
// across the chunks a body arrives in. And the rules for what is not active: an OpenAction that opens a page.
import { readFileSync } from "node:fs";
import { deflateSync, inflateSync } from "node:zlib";
import { afterAll, describe, expect, test } from "vitest";
import { PdfScanner } from "../../../../server/files/inspection/pdf";
import { fixture, tempStore, upload } from "./upload";

const store = tempStore();
afterAll(store.remove);

/** What the scanner finds in `bytes` pushed `chunkBytes` at a time. */
async function scan(bytes: Buffer, chunkBytes: number) {
  const scanner = new PdfScanner();
  for (let at = 0; at < bytes.length; at += chunkBytes) await scanner.push(bytes.subarray(at, at + chunkBytes));
  return scanner.end();
}

describe("active content hidden from a plain search", () => {
  test("finds JavaScript that is only inside a compressed object stream", async () => {
    const bytes = fixture("js-objstm.pdf");
    expect(bytes.includes("JavaScript")).toBe(false);
    expect(bytes.includes("/ObjStm")).toBe(true);
    expect(await upload(store.files, "js-objstm.pdf", bytes)).toMatchObject({ status: 415, code: "active_content" });
  });

  test("decodes hex escapes in names", async () => {
    const bytes = fixture("js-hex.pdf");
    expect(bytes.includes("/J#61vaScript")).toBe(true);
    expect(await scan(bytes, 4096)).toBe("active_content");
    const encrypt = Buffer.from(
      fixture("clean.pdf").toString("latin1").replace("/Root", "/Encr#79pt 99 0 R /Root"),
      "latin1",
    );
    expect(await scan(encrypt, 4096)).toBe("encrypted");
  });

  test.each([1, 3, 7, 64, 255, 256, 257])("finds it whatever size the chunks are (%i bytes)", async (chunkBytes) => {
    for (const name of ["js-openaction.pdf", "js-objstm.pdf", "js-hex.pdf", "launch.pdf", "embedded.pdf"])
      expect([name, await scan(fixture(name), chunkBytes)]).toEqual([name, "active_content"]);
    expect(await scan(fixture("clean.pdf"), chunkBytes)).toBeNull();
  });

  test.each([
    ["a comment", "%stream\n", "%endstream\n"],
    ["a literal string", "4 0 obj (stream\n) endobj\n", "6 0 obj (endstream) endobj\n"],
    ["a string with escaped parentheses", "4 0 obj (\\) (stream\n) endobj\n", "6 0 obj (a\\)endstream) endobj\n"],
  ])("is not hidden behind a stream keyword in %s", async (_where, before, after) => {
    // What a reader takes for a comment or a string does not start a stream whose data would be skipped.
    const text = fixture("js-openaction.pdf").toString("latin1");
    const action = text.indexOf("5 0 obj");
    const end = text.indexOf("endobj", action) + "endobj\n".length;
    const hidden = text.slice(0, action) + before + text.slice(action, end) + after + text.slice(end);
    expect(await scan(Buffer.from(hidden, "latin1"), 4096)).toBe("active_content");
  });

  test("refuses an object stream under a filter it cannot read", async () => {
    const bytes = Buffer.from(
      fixture("js-objstm.pdf").toString("latin1").replace("/FlateDecode", "/LZWDecode   "),
      "latin1",
    );
    expect(await scan(bytes, 4096)).toBe("active_content");
  });
  test.each([
    ["an abbreviated filter", "/Fl", (objects: Buffer) => deflateSync(objects)],
    ["an ASCII filter before Flate", "[/AHx /FlateDecode]", (objects: Buffer) => asciiHex(deflateSync(objects))],
    ["Flate twice", "[/FlateDecode /FlateDecode]", (objects: Buffer) => deflateSync(deflateSync(objects))],
    ["a predictor", "/FlateDecode /DecodeParms << /Predictor 12 >>", (objects: Buffer) => deflateSync(pngUp(objects))],
  ])("refuses an object stream under %s, which it does not read", async (_what, filter, encode) => {
    expect(await scan(withObjectStream(filter, encode), 4096)).toBe("active_content");
  });
});

/** js-objstm.pdf with its object stream encoded by `encode` under `filter`. */
function withObjectStream(filter: string, encode: (objects: Buffer) => Buffer): Buffer {
  const text = fixture("js-objstm.pdf").toString("latin1");
  const dictionary = text.lastIndexOf("<<", text.indexOf("/Type /ObjStm"));
  const dataStart = text.indexOf("stream\n", dictionary) + "stream\n".length;
  const dataEnd = text.indexOf("endstream", dataStart);
  const objects = inflateSync(Buffer.from(text.slice(dataStart, dataEnd), "latin1"));
  const data = encode(objects);
  const head = text
    .slice(dictionary, dataStart)
    .replace("/Filter /FlateDecode", `/Filter ${filter}`)
    .replace(/\/Length \d+/, `/Length ${data.length}`);
  return Buffer.concat([
    Buffer.from(text.slice(0, dictionary) + head, "latin1"),
    data,
    Buffer.from(text.slice(dataEnd), "latin1"),
  ]);
}

/** ASCIIHexDecode's encoding (§7.4.2). */
const asciiHex = (bytes: Buffer) => Buffer.from(`${bytes.toString("hex")}>`, "latin1");

/** The PNG Up predictor over rows of one byte (§7.4.4.4): each row is its tag 2 and its difference from the last. */
function pngUp(bytes: Buffer): Buffer {
  const out = Buffer.alloc(bytes.length * 2);
  bytes.forEach((byte, index) => {
    out[index * 2] = 2;
    out[index * 2 + 1] = (byte - (index > 0 ? bytes[index - 1]! : 0)) & 0xff;
  });
  return out;
}

describe("what is not active content", () => {
  test("passes an OpenAction that only opens the first page", async () => {
    expect(fixture("clean.pdf").toString("latin1")).toMatch(/\/OpenAction\s*\[/);
    expect(await upload(store.files, "clean.pdf", fixture("clean.pdf"))).toMatchObject({ kind: "pdf" });
  });

  test("judges a truncated PDF by the bytes it has", async () => {
    const clean = fixture("clean.pdf");
    expect(await scan(clean.subarray(0, clean.length >> 1), 4096)).toBeNull();
    const active = fixture("js-openaction.pdf");
    expect(await scan(active.subarray(0, active.indexOf("endobj", active.indexOf("JavaScript"))), 4096)).toBe(
      "active_content",
    );
  });

  test("passes a 2 MiB PDF of one large uncompressed stream quickly", async () => {
    const clean = readFileSync(new URL("../../../fixtures/inspection/clean.pdf", import.meta.url));
    const big = Buffer.concat([
      clean.subarray(0, 15),
      Buffer.from("9 0 obj\n<< /Length 2097152 >>\nstream\n"),
      Buffer.alloc(2 * 1024 * 1024, "/JS "),
      Buffer.from("\nendstream\nendobj\n"),
      clean.subarray(15),
    ]);
    const started = performance.now();
    expect(await scan(big, 64 * 1024)).toBeNull();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
