// Images stored without their metadata, losslessly: a JPEG keeps its Orientation and its scan bytes, a PNG
// loses its text chunks and still decodes to the same pixels, a WebP loses EXIF and XMP with its sizes and
// flags made to match. Checked with exiftool and by parsing, whatever size the chunks arrive in.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { afterAll, describe, expect, test } from "vitest";
import { fixture, storedBytes, tempStore, upload } from "./upload";

/** exiftool (Debian's libimage-exiftool-perl) reads the metadata. */
const EXIFTOOL = "/usr/bin/exiftool";
const store = tempStore();
const scratch = mkdtempSync(join(tmpdir(), "hatch-images-"));
afterAll(store.remove);

/** exiftool's tags for `bytes`, by group and name, numbers as numbers, with its validation ("errors warnings minor"). */
function tags(bytes: Buffer, name: string): Record<string, unknown> {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  const read = (...options: string[]) =>
    JSON.parse(execFileSync(EXIFTOOL, ["-j", "-n", "-a", "-G1", ...options, path], { encoding: "utf8" }))[0];
  return { ...read(), ...read("-validate") };
}

async function stripped(name: string, chunkBytes?: number): Promise<Buffer> {
  const file = await upload(store.files, name, fixture(name), { chunkBytes });
  if (!("id" in file)) throw new Error(`refused: ${JSON.stringify(file)}`);
  const bytes = await storedBytes(store.files, file.id);
  expect(file.size).toBe(bytes.length);
  return bytes;
}

/** A PNG's chunks that make its pixels (IHDR, PLTE, IDAT), as hex, in order. */
function pixelChunks(png: Buffer): string[] {
  const chunks: string[] = [];
  for (let at = 8; at + 8 <= png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString("latin1", at + 4, at + 8);
    if (["IHDR", "PLTE", "IDAT"].includes(type)) chunks.push(`${type}:${png.toString("hex", at + 8, at + 8 + length)}`);
    at += 12 + length;
  }
  return chunks;
}

/** A JPEG's bytes from its first scan on: what stripping must not touch. */
function scanData(jpeg: Buffer): Buffer {
  return jpeg.subarray(jpeg.indexOf(Buffer.from([0xff, 0xda])));
}

describe("a JPEG with GPS, a comment, XMP and IPTC", () => {
  test("is stored with none of them, its Orientation (6) kept and its scan untouched", async () => {
    expect(tags(fixture("gps.jpg"), "before.jpg")).toMatchObject({ "GPS:GPSLatitude": 48.8584, "IFD0:Orientation": 6 });
    const bytes = await stripped("gps.jpg");
    const after = tags(bytes, "after.jpg");
    expect(after["IFD0:Orientation"]).toBe(6);
    expect(Object.keys(after).filter((tag) => /^(GPS|XMP|IPTC|File:Comment|Composite:GPS)/.test(tag))).toEqual([]);
    // No errors; its warnings name the tags EXIF asks of a full IFD0, which one holding only the Orientation leaves out.
    expect(after["ExifTool:Validate"]).toMatch(/^0 \d+ 0$/);
    expect(scanData(bytes).equals(scanData(fixture("gps.jpg")))).toBe(true);
  });

  test("is stripped the same whatever size the chunks arrive in", async () => {
    const whole = await stripped("gps.jpg");
    for (const chunkBytes of [1, 7, 500]) expect((await stripped("gps.jpg", chunkBytes)).equals(whole)).toBe(true);
  });

  test("is stripped when junk bytes stand before its metadata, as decoders skip them", async () => {
    const original = fixture("gps.jpg");
    const app1 = original.indexOf(Buffer.from([0xff, 0xe1]));
    const junked = Buffer.concat([
      original.subarray(0, app1),
      Buffer.from([0, 0, 0xff, 0, 7]),
      original.subarray(app1),
    ]);
    const gpsExif = original.subarray(app1, app1 + 4 + original.readUInt16BE(app1 + 2) - 2);
    const file = await upload(store.files, "junked.jpg", junked);
    if (!("id" in file)) throw new Error(`refused: ${JSON.stringify(file)}`);
    const bytes = await storedBytes(store.files, file.id);
    expect(bytes.indexOf(gpsExif)).toBe(-1);
    expect(Object.keys(tags(bytes, "junked.jpg")).filter((tag) => /^(GPS|XMP|Composite:GPS)/.test(tag))).toEqual([]);
    expect(scanData(bytes).equals(scanData(original))).toBe(true);
  });

  test("keeps a JPEG without metadata byte for byte", async () => {
    const plain = fixture("../files/fixture.jpg");
    const file = await upload(store.files, "plain.jpg", plain);
    expect("id" in file && (await storedBytes(store.files, file.id)).equals(plain)).toBe(true);
  });
});

describe("a PNG with text chunks and XMP", () => {
  test("is stored without them and decodes to the same pixels", async () => {
    const bytes = await stripped("text.png");
    expect(bytes.includes("tEXt")).toBe(false);
    expect(bytes.includes("iTXt")).toBe(false);
    expect(bytes.includes("Visitor")).toBe(false);
    // The same header and image data chunks, in order: the same pixels, whatever decodes them.
    expect(pixelChunks(bytes)).toEqual(pixelChunks(fixture("text.png")));
    for (const chunkBytes of [1, 13]) expect((await stripped("text.png", chunkBytes)).equals(bytes)).toBe(true);
  });
});

describe("a PNG with metadata in chunks no list of metadata names", () => {
  /** A PNG chunk: length, type, data and the CRC of type and data (§5.3). */
  function chunk(type: string, data: Buffer): Buffer {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, "latin1");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  }

  test("is stored with only the chunks that draw it: EXIF under its early spelling and private chunks go", async () => {
    // gps.jpg's EXIF: the APP1 segment's body after "Exif\0\0", its length (counting itself) just before.
    const photo = fixture("gps.jpg");
    const at = photo.indexOf("Exif\0\0");
    const exif = photo.subarray(at + 6, at - 2 + photo.readUInt16BE(at - 2));
    const png = fixture("text.png");
    const end = png.length - 12;
    const gamma = chunk("gAMA", Buffer.from([0, 0, 0xb1, 0x8f]));
    const before = Buffer.concat([
      png.subarray(0, end),
      gamma,
      chunk("exIf", exif),
      chunk("prIv", Buffer.from("48.8584 N")),
      png.subarray(end),
    ]);
    expect(tags(before, "before.png")).toMatchObject({ "GPS:GPSLatitudeRef": "N" });
    const file = await upload(store.files, "early.png", before);
    if (!("id" in file)) throw new Error(`refused: ${JSON.stringify(file)}`);
    const bytes = await storedBytes(store.files, file.id);
    expect(Object.keys(tags(bytes, "after.png")).filter((tag) => tag.startsWith("GPS"))).toEqual([]);
    expect(bytes.includes("48.8584")).toBe(false);
    expect(bytes.includes(gamma)).toBe(true);
    expect(pixelChunks(bytes)).toEqual(pixelChunks(png));
  });

  test("streams chunks longer than it reads at once, kept or dropped, the same whatever size the bytes arrive in", async () => {
    const png = fixture("text.png");
    const end = png.length - 12;
    const longKept = chunk("sPLT", Buffer.alloc(200_000, 7));
    const longDropped = chunk("zzZz", Buffer.alloc(150_000, "48.8584 N"));
    const tiny = Array.from({ length: 500 }, (_, i) => chunk(i % 2 ? "tEXt" : "gAMA", Buffer.from([0, 0, 0xb1, i])));
    const before = Buffer.concat([
      png.subarray(0, end),
      longKept,
      longDropped,
      ...tiny,
      png.subarray(end),
      Buffer.from("after"),
    ]);
    const file = await upload(store.files, "long.png", before);
    if (!("id" in file)) throw new Error(`refused: ${JSON.stringify(file)}`);
    const whole = await storedBytes(store.files, file.id);
    const kept = tiny.filter((_, i) => i % 2 === 0);
    const plain = await stripped("text.png");
    const expected = Buffer.concat([plain.subarray(0, plain.length - 12), longKept, ...kept, png.subarray(end)]);
    expect(whole.equals(expected)).toBe(true);
    for (const chunkBytes of [1, 1000, 70_000]) {
      const again = await upload(store.files, "long.png", before, { chunkBytes });
      if (!("id" in again)) throw new Error(`refused: ${JSON.stringify(again)}`);
      expect((await storedBytes(store.files, again.id)).equals(whole)).toBe(true);
    }
  });
});

describe("a WebP with EXIF and XMP", () => {
  test("is stored without them, its Orientation kept, its RIFF size and VP8X flags matching", async () => {
    expect(tags(fixture("exif.webp"), "before.webp")).toMatchObject({ "XMP-dc:Creator": "Visitor" });
    const bytes = await stripped("exif.webp");
    const after = tags(bytes, "after.webp");
    expect(after["IFD0:Orientation"]).toBe(6);
    expect(Object.keys(after).filter((tag) => /^(GPS|XMP|Composite:GPS)/.test(tag))).toEqual([]);
    expect(after["ExifTool:Validate"]).toBe("0 0 0");
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    const flags = bytes[bytes.indexOf("VP8X") + 8]!;
    expect({ exif: (flags & 0x08) !== 0, xmp: (flags & 0x04) !== 0 }).toEqual({ exif: true, xmp: false });
  });

  test("is stored with only the chunks that draw it: a chunk no list names goes too", async () => {
    const webp = fixture("exif.webp");
    const odd = Buffer.concat([Buffer.from("GPSx", "latin1"), Buffer.alloc(4), Buffer.from("48.8584 N ")]);
    odd.writeUInt32LE(10, 4);
    const before = Buffer.concat([webp, odd]);
    before.writeUInt32LE(before.length - 8, 4);
    const file = await upload(store.files, "odd.webp", before);
    if (!("id" in file)) throw new Error(`refused: ${JSON.stringify(file)}`);
    const bytes = await storedBytes(store.files, file.id);
    expect(bytes.includes("48.8584")).toBe(false);
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect(bytes.equals(await stripped("exif.webp"))).toBe(true);
    for (const chunkBytes of [1, 7, 500]) expect((await stripped("exif.webp", chunkBytes)).equals(bytes)).toBe(true);
  });
});
