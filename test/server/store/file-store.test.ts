// One conformance suite for both places an upload's bytes are kept: DATA_DIR (one process) and the
// database's chunks (many instances, PostgreSQL). Same bytes back, nothing left of a failed write.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { newId } from "../../../server/ids";
import { openDb, type Db } from "../../../server/store/db";
import { CHUNK_BYTES, FileChunkStore } from "../../../server/store/file-chunks";
import { diskFileStore, type FileStore } from "../../../server/store/file-store";
import { sharedServicesEnv } from "../shared-services";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function onDisk(): Promise<FileStore> {
  const dataDir = mkdtempSync(join(tmpdir(), "hatch-files-"));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  return diskFileStore(dataDir);
}

let db: Db;
async function inPostgres(): Promise<FileStore> {
  db = await openDb({ dataDir: tmpdir(), databaseUrl: (await sharedServicesEnv()).DATABASE_URL });
  cleanups.push(() => db.destroy());
  return new FileChunkStore(db);
}

async function bytesOf(store: FileStore, id: string): Promise<{ size: number; bytes: Buffer; pieces: number } | null> {
  const found = await store.read(id);
  if (!found) return null;
  const pieces: Buffer[] = [];
  for await (const piece of found.stream) pieces.push(piece as Buffer);
  return { size: found.size, bytes: Buffer.concat(pieces), pieces: pieces.length };
}

async function* arriving(bytes: Buffer, failAfter?: number) {
  for (let at = 0; at < bytes.length; at += 10_000) {
    if (failAfter !== undefined && at >= failAfter) throw new Error("the visitor left");
    yield bytes.subarray(at, at + 10_000);
  }
}

describe.each([
  ["DATA_DIR", onDisk],
  ["PostgreSQL", inPostgres],
])("files kept in %s", (_where, open) => {
  it("gives back the very bytes written, and their size", async () => {
    const store = await open();
    const bytes = randomBytes(3 * CHUNK_BYTES + 12_345);
    const id = newId("file");
    await store.write(id, arriving(bytes));
    const read = await bytesOf(store, id);
    expect(read?.size).toBe(bytes.length);
    expect(read?.bytes.equals(bytes)).toBe(true);
  });

  it("keeps nothing of a write that fails part-way", async () => {
    const store = await open();
    const id = newId("file");
    await expect(store.write(id, arriving(randomBytes(2 * CHUNK_BYTES), CHUNK_BYTES + 50_000))).rejects.toThrow(
      "the visitor left",
    );
    expect(await store.read(id)).toBeNull();
  });

  it("forgets a removed file, and knows no unknown one", async () => {
    const store = await open();
    const id = newId("file");
    await store.write(id, [Buffer.from("hello")]);
    await store.remove(id);
    expect(await store.read(id)).toBeNull();
    expect(await store.read(newId("file"))).toBeNull();
  });
});

describe("files kept in PostgreSQL", () => {
  it("are read back a chunk at a time, never whole", async () => {
    const store = await inPostgres();
    const id = newId("file");
    await store.write(id, arriving(randomBytes(4 * CHUNK_BYTES)));
    const read = await bytesOf(store, id);
    expect(read?.pieces).toBe(4);
  });

  it("sweep only chunks that no file owns and that no instance can still be writing", async () => {
    const store = await inPostgres();
    const [old, fresh] = [newId("file"), newId("file")];
    await store.write(old, [Buffer.from("left by a killed process")]);
    await store.write(fresh, [Buffer.from("another instance is still writing this")]);
    await db
      .updateTable("file_chunks")
      .set({ created_at: Date.now() - 3 * 3600 * 1000 })
      .where("file_id", "=", old)
      .execute();
    expect(await store.sweep(Date.now())).toBe(1);
    expect(await store.read(old)).toBeNull();
    expect(await store.read(fresh)).not.toBeNull();
  });
});

describe("files kept in DATA_DIR", () => {
  it("sweep the parts an earlier process left, not this one's", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hatch-files-"));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const store = diskFileStore(dataDir);
    mkdirSync(join(dataDir, "files"), { recursive: true });
    writeFileSync(join(dataDir, "files", ".0123456789abcdef.part"), "half");
    utimesSync(
      join(dataDir, "files", ".0123456789abcdef.part"),
      new Date(Date.now() - 60_000),
      new Date(Date.now() - 60_000),
    );
    writeFileSync(join(dataDir, "files", ".fedcba9876543210.part"), "being written now");
    expect(await store.sweep(Date.now() - 1000)).toBe(1);
    expect(readdirSync(join(dataDir, "files"))).toEqual([".fedcba9876543210.part"]);
  });
});
