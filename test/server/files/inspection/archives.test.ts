// Archives made to get past the inspection: too many entries, nesting too deep, a directory that lies
// about its size or its count, cut-off files and damaged headers. Each is refused with its code, none
// is unpacked whole, and nothing of it stays in the store.
import { afterAll, describe, expect, test } from "vitest";
import { readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tar, zip } from "../../../fixtures/build";
import { fixture, tempStore, upload } from "./upload";

const store = tempStore();
afterAll(store.remove);

async function refusal(name: string, bytes: Uint8Array) {
  const before = store.held();
  const result = await upload(store.files, name, bytes);
  expect(store.held()).toEqual(before);
  return result;
}

/** A ZIP of `count` small text files. */
function manyEntries(count: number): Uint8Array {
  return zip(
    Array.from({ length: count }, (_, index) => ({ name: `notes-${index}.txt`, data: "hello\n", store: true })),
  );
}

describe("archive bombs", () => {
  test("refuses a ZIP of 10,001 entries from its directory, and takes one of 10,000", async () => {
    expect(await refusal("many.zip", manyEntries(10_001))).toMatchObject({ status: 415, code: "archive_bomb" });
    expect(await upload(store.files, "many.zip", manyEntries(10_000))).toMatchObject({ kind: "zip" });
  });

  test("refuses a ZIP whose end record declares 65,535 entries it does not have", async () => {
    const bytes = Buffer.from(fixture("images.zip"));
    const end = bytes.lastIndexOf(Buffer.from("PK\x05\x06", "latin1"));
    bytes.writeUInt16LE(0xffff, end + 8);
    bytes.writeUInt16LE(0xffff, end + 10);
    expect(await refusal("lying.zip", bytes)).toMatchObject({ status: 415, code: "archive_bomb" });
  });

  test("refuses 100 MiB of zeros zipped and gzipped by the size they declare, without inflating them", async () => {
    const started = performance.now();
    expect(await refusal("bomb.zip", fixture("bomb.zip"))).toMatchObject({ code: "archive_bomb" });
    expect(await refusal("bomb.gz", fixture("bomb.gz"))).toMatchObject({ code: "archive_bomb" });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test("counts what a gzip inflates, whatever its trailer says, and stops at the limit", async () => {
    // A tar of 20 MiB of text whose gzip trailer claims 10 bytes: the inflation is counted and stopped.
    const bytes = Buffer.from(
      gzipSync(tar([{ name: "a.txt", data: "a".repeat(20 * 1024 * 1024) }], "posix"), { level: 9 }),
    );
    bytes.writeUInt32LE(10, bytes.length - 4);
    expect(await refusal("zeros.tar.gz", bytes)).toMatchObject({ code: "archive_bomb" });
  });
});

describe("nesting", () => {
  test("opens archives three deep and finds the program at the bottom", async () => {
    expect(await refusal("nested-3.zip", fixture("nested-3.zip"))).toMatchObject({
      code: "archive_content",
      message: expect.stringContaining("level2.zip/level3.zip/tool"),
    });
  });

  test("refuses an archive nested four deep, however harmless its bottom", async () => {
    expect(await refusal("nested-4.zip", fixture("nested-4.zip"))).toMatchObject({
      code: "archive_content",
      message: expect.stringContaining("too large or too deeply nested"),
    });
  });
});

describe("damage", () => {
  test.each([
    ["a ZIP cut in half", "exe-inside.zip", (bytes: Buffer) => bytes.subarray(0, bytes.length >> 1)],
    ["a ZIP without its last byte", "images.zip", (bytes: Buffer) => bytes.subarray(0, -1)],
    ["a tar.gz cut short", "clean.tar.gz", (bytes: Buffer) => bytes.subarray(0, bytes.length - 20)],
  ])("refuses %s as damaged", async (_what, name, cut) => {
    expect(await refusal(name, cut(fixture(name)))).toMatchObject({
      status: 415,
      code: "archive_content",
      message: expect.stringContaining("is damaged or incomplete"),
    });
  });

  test("refuses a ZIP whose Content Types part inflates short of the size it declares as damaged, not with an error", async () => {
    // Read whole to look for macros, the part ends 1,000 bytes early: yauzl's error becomes the refusal.
    const bytes = Buffer.from(zip([{ name: "[Content_Types].xml", data: "<Types>".repeat(2000) }]));
    const central = bytes.indexOf(Buffer.from("PK\x01\x02", "latin1"));
    for (const sizeAt of [22, central + 24]) bytes.writeUInt32LE(bytes.readUInt32LE(sizeAt) + 1000, sizeAt);
    expect(await refusal("short.zip", bytes)).toMatchObject({
      code: "archive_content",
      message: expect.stringContaining("is damaged or incomplete"),
    });
  });

  test("refuses a tar whose second header's checksum is wrong", async () => {
    const bytes = Buffer.from(
      tar(
        [
          { name: "notes.txt", data: "hello\n" },
          { name: "more.txt", data: "hello\n" },
        ],
        "posix",
      ),
    );
    bytes[1024] = "x".charCodeAt(0);
    expect(await refusal("notes.tar", bytes)).toMatchObject({ code: "archive_content" });
  });

  test("refuses a ZIP whose entries overlap, declaring more than the file holds", async () => {
    // Two directory entries for one local file, each declaring 40 MiB: David Fifield's overlapping bomb, in small.
    const bytes = Buffer.from(zip([{ name: "a.txt", data: "hello\n" }]));
    const central = bytes.indexOf(Buffer.from("PK\x01\x02", "latin1"));
    const end = bytes.lastIndexOf(Buffer.from("PK\x05\x06", "latin1"));
    const record = Buffer.from(bytes.subarray(central, end));
    record.writeUInt32LE(40 * 1024 * 1024, 24);
    const twice = Buffer.concat([bytes.subarray(0, central), record, record, bytes.subarray(end)]);
    twice.writeUInt16LE(2, twice.length - 22 + 8);
    twice.writeUInt16LE(2, twice.length - 22 + 10);
    twice.writeUInt32LE(record.length * 2, twice.length - 22 + 12);
    expect(await refusal("overlap.zip", twice)).toMatchObject({ code: "archive_bomb" });
  });
});

describe("tar entries that readers see differently from their header", () => {
  /** A pax record: its length counts itself (POSIX.1-2017 pax, "pax Extended Header"). */
  function record(key: string, value: string): string {
    const body = ` ${key}=${value}\n`;
    let length = body.length + 1;
    while (`${length}${body}`.length !== length) length++;
    return `${length}${body}`;
  }

  test.each([
    [
      "an entry of a type it does not know, read as a file",
      [{ name: "setup", data: "#!/bin/sh\nrm -rf ~\n", type: "Z" }],
    ],
    [
      "a hard link named as a script",
      [
        { name: "notes.txt", data: "hi\n" },
        { name: "run.sh", data: "", type: "1" },
      ],
    ],
    ["a hard link with data", [{ name: "notes.txt", data: "#!/bin/sh\nrm -rf ~\n", type: "1" }]],
    [
      "the last of two pax paths",
      [
        { name: "PaxHeader", data: record("path", "notes.txt") + record("path", "run.sh"), type: "x" },
        { name: "notes.txt", data: "echo hi\n" },
      ],
    ],
  ])("refuses %s", async (_what, entries) => {
    expect(await refusal("notes.tar", tar(entries, "posix"))).toMatchObject({ code: "archive_content" });
  });

  test("takes a pax size over the header's, finding the entry the header's size would swallow", async () => {
    // The header says 3,072 bytes, the pax record 3: readers find setup.sh after the first 512-byte block.
    const inner = Buffer.from(tar([{ name: "setup.sh", data: "rm -rf ~\n" }], "posix")).subarray(0, 1024);
    const bytes = Buffer.from(
      tar(
        [
          { name: "PaxHeader", data: record("size", "3"), type: "x" },
          { name: "notes.txt", data: `hi\n${"\0".repeat(509)}${inner.toString("latin1")}`.padEnd(3072, "\0") },
        ],
        "posix",
      ),
    );
    expect(await refusal("notes.tar", bytes)).toMatchObject({
      code: "archive_content",
      message: expect.stringContaining("setup.sh"),
    });
  });

  test("passes a symbolic link named as a text file", async () => {
    const entries = [
      { name: "notes.txt", data: "hi\n" },
      { name: "README.txt", data: "", type: "2" },
    ];
    expect(await upload(store.files, "notes.tar", tar(entries, "posix"))).toMatchObject({ kind: "tar" });
  });
});

describe("a gzip's own name for what it holds", () => {
  /** A gzip member whose header keeps `name` (RFC 1952 §2.3.1, FLG.FNAME). */
  function gzipNamed(name: string, data: string): Buffer {
    const plain = gzipSync(data);
    return Buffer.concat([
      Buffer.from([0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 3]),
      Buffer.from(`${name}\0`, "latin1"),
      plain.subarray(10),
    ]);
  }

  test("refuses a script kept under its own name, whatever the upload is called", async () => {
    expect(await refusal("notes.txt.gz", gzipNamed("run.sh", "echo hi\n"))).toMatchObject({
      code: "archive_content",
      message: expect.stringContaining("run.sh"),
    });
    expect(await upload(store.files, "notes.txt.gz", gzipNamed("notes.txt", "echo hi\n"))).toMatchObject({
      kind: "gz",
    });
  });
});

describe("the stored file, read back", () => {
  /** Files this process holds open. */
  const openFiles = () => readdirSync("/proc/self/fd").length;

  test.each([
    [
      "a tar with bytes after its end",
      () => Buffer.concat([Buffer.from(tar([{ name: "a.txt", data: "hi\n" }], "posix")), Buffer.alloc(256 * 1024)]),
    ],
    ["an old Office file with macros", () => fixture("macro.doc")],
  ])("is closed after %s, however the walk ends", async (_what, bytes) => {
    await upload(store.files, "first", bytes());
    const before = openFiles();
    for (let round = 0; round < 20; round++) await upload(store.files, "a.tar", bytes());
    expect(openFiles()).toBeLessThan(before + 5);
  });
});
