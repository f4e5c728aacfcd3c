// A ZIP kept in memory as it passes to the store (server/files/inspection/held-copy.ts): judged exactly as
// when it is read back from the store, within its bounds per upload and across uploads, and given back
// however the upload ends.
import { afterAll, describe, expect, test } from "vitest";
import { HoldBudget } from "../../../../server/files/inspection";
import { HeldCopy } from "../../../../server/files/inspection/held-copy";
import { heldPieces, PieceReader } from "../../../../server/files/inspection/store-reader";
import type { FileStore } from "../../../../server/store/file-store";
import { zip } from "../../../fixtures/build";
import { fixture, tempStore, upload } from "./upload";

const store = tempStore();
afterAll(store.remove);

const MIB = 1024 * 1024;
/** Room for any fixture here. */
const roomy = () => new HoldBudget(16 * MIB, 64 * MIB);
/** Room for nothing: every ZIP is read back from the store. */
const none = () => new HoldBudget(0, 0);

/** The store, counting the ranged reads the inspection makes of it. */
function counting(files: FileStore): { files: FileStore; ranges: () => number } {
  let ranges = 0;
  return {
    files: {
      ...files,
      readRange: (...args) => {
        ranges++;
        return files.readRange(...args);
      },
    },
    ranges: () => ranges,
  };
}

async function* chunked(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** Passes all of `bytes` through `copy`, `size` at a time; how many bytes came out. */
async function pass(copy: HeldCopy, bytes: Uint8Array, size: number): Promise<number> {
  let passed = 0;
  for await (const chunk of copy.keep(chunked(bytes, size))) passed += chunk.byteLength;
  return passed;
}

/** What an upload came to, without the id a stored one is given. */
function outcome(result: Awaited<ReturnType<typeof upload>>) {
  return "id" in result ? { ...result, id: "stored" } : result;
}

const cutInHalf = (bytes: Buffer) => bytes.subarray(0, bytes.length >> 1);
const ZIPS: [name: string, bytes: Uint8Array][] = [
  ...["images.zip", "exe-inside.zip", "encrypted.zip", "nested-3.zip", "nested-4.zip", "bomb.zip"].map(
    (name): [string, Uint8Array] => [name, fixture(name)],
  ),
  ...["clean.docx", "exe-inside.docx", "docm-inside.docx", "macro.docm", "macro.odt"].map(
    (name): [string, Uint8Array] => [name, fixture(name)],
  ),
  ["exe-inside.zip cut in half", cutInHalf(fixture("exe-inside.zip"))],
  ["images.zip without its last byte", fixture("images.zip").subarray(0, -1)],
  ["200 small notes", zip(Array.from({ length: 200 }, (_, i) => ({ name: `n${i}.txt`, data: `note ${i}\n` })))],
];

describe("a ZIP kept in memory", () => {
  test.each(ZIPS)("%s is judged as when it is read back from the store", async (name, bytes) => {
    const file = name.split(" ")[0]!;
    const kept = counting(store.files);
    const fromMemory = await upload(kept.files, file, bytes, { chunkBytes: 4096, budget: roomy() });
    const readBack = counting(store.files);
    const fromStore = await upload(readBack.files, file, bytes, { chunkBytes: 4096, budget: none() });
    expect(outcome(fromMemory)).toEqual(outcome(fromStore));
    expect(kept.ranges()).toBe(0);
    expect(readBack.ranges()).toBeGreaterThan(0);
  });

  test("is read back from the store when it is larger than an upload may keep, and still judged", async () => {
    const budget = new HoldBudget(100, 64 * MIB);
    const readBack = counting(store.files);
    const bytes = fixture("exe-inside.zip");
    expect(bytes.length).toBeGreaterThan(100);
    expect(await upload(readBack.files, "exe-inside.zip", bytes, { chunkBytes: 64, budget })).toMatchObject({
      code: "archive_content",
    });
    expect(readBack.ranges()).toBeGreaterThan(0);
    expect(budget.held).toBe(0);
  });

  test("gives its memory back however the upload ends", async () => {
    const budget = roomy();
    const images = fixture("images.zip");
    expect(await upload(store.files, "images.zip", images, { chunkBytes: 4096, budget })).toMatchObject({
      kind: "zip",
    });
    expect(await upload(store.files, "exe.zip", fixture("exe-inside.zip"), { chunkBytes: 4096, budget })).toMatchObject(
      {
        code: "archive_content",
      },
    );
    expect(await upload(store.files, "half.zip", cutInHalf(images), { chunkBytes: 4096, budget })).toMatchObject({
      code: "archive_content",
    });
    // Past the policy's size while it arrives: refused before it is whole, nothing judged.
    expect(
      await upload(store.files, "big.zip", images, { chunkBytes: 4096, budget, maxBytes: images.length - 1 }),
    ).toMatchObject({
      status: 413,
    });
    expect(budget.held).toBe(0);
  });
});

describe("the bounds of what is kept", () => {
  test("a copy that grows past its upload's bound is dropped and its bytes given back, passing every byte on", async () => {
    const budget = new HoldBudget(10_000, 1 * MIB);
    const copy = new HeldCopy(budget);
    const bytes = Buffer.alloc(25_000, 7);
    const passed: Uint8Array[] = [];
    for await (const chunk of copy.keep(chunked(bytes, 4096))) {
      passed.push(chunk);
      expect(budget.held).toBeLessThanOrEqual(10_000);
    }
    expect(Buffer.concat(passed).equals(bytes)).toBe(true);
    expect(copy.kept(bytes.length)).toBeNull();
    expect(budget.held).toBe(0);
  });

  test("a body sent a byte at a time is not kept: each chunk costs more than its bytes", async () => {
    const budget = new HoldBudget(100_000, 1 * MIB);
    const copy = new HeldCopy(budget);
    expect(await pass(copy, Buffer.alloc(10_000, 2), 1)).toBe(10_000);
    expect(copy.kept(10_000)).toBeNull();
    expect(budget.held).toBe(0);
  });

  test("uploads at once keep no more than the process's bound together; the ones past it read the store", async () => {
    const budget = new HoldBudget(25_000, 50_000);
    const copies = [new HeldCopy(budget), new HeldCopy(budget), new HeldCopy(budget)];
    const bytes = Buffer.alloc(10_000, 1);
    for (const copy of copies) expect(await pass(copy, bytes, 1000)).toBe(bytes.length);
    expect(budget.held).toBeLessThanOrEqual(50_000);
    expect(copies.map((copy) => copy.kept(bytes.length) !== null)).toEqual([true, true, false]);
    for (const copy of copies) copy.release();
    expect(budget.held).toBe(0);
  });

  test("keeps nothing to read when the upload did not pass whole, or is not the size stored", async () => {
    const budget = roomy();
    const cut = new HeldCopy(budget);
    const reading = cut.keep(chunked(Buffer.alloc(5000), 1000));
    await reading.next();
    await reading.return(undefined);
    expect(cut.kept(1000)).toBeNull();
    const whole = new HeldCopy(budget);
    expect(await pass(whole, Buffer.alloc(5000), 1000)).toBe(5000);
    expect(whole.kept(4999)).toBeNull();
    expect(whole.kept(5000)).not.toBeNull();
  });
});

describe("reading the pieces a ZIP came in", () => {
  test("gives back exactly the bytes asked for, within a piece, across pieces, and cut short at the end", async () => {
    const bytes = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));
    const pieces = [
      bytes.subarray(0, 3000),
      bytes.subarray(3000, 3000),
      bytes.subarray(3000, 7001),
      bytes.subarray(7001),
    ];
    const reader = new PieceReader(heldPieces(pieces));
    const cases: [position: number, length: number][] = [
      [0, 10],
      [2990, 20],
      [2999, 4002],
      [7001, 1],
      [0, 10_000],
      [9990, 100],
      [10_000, 5],
    ];
    for (const [position, length] of cases)
      expect((await reader.readAt(position, length)).equals(bytes.subarray(position, position + length))).toBe(true);
  });
});
