// The ranged read ZIP inspection uses, on both places an upload's bytes are kept: any range gives back
// exactly those bytes, across the database's chunk boundaries, cut short at the end.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { newId } from "../../../../server/ids";
import { openDb } from "../../../../server/store/db";
import { CHUNK_BYTES, FileChunkStore } from "../../../../server/store/file-chunks";
import { diskFileStore, type FileStore } from "../../../../server/store/file-store";
import { sharedServicesEnv } from "../../shared-services";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function onDisk(): Promise<FileStore> {
  const dataDir = mkdtempSync(join(tmpdir(), "hatch-range-"));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  return diskFileStore(dataDir);
}

async function inPostgres(): Promise<FileStore> {
  const db = await openDb({ dataDir: tmpdir(), databaseUrl: (await sharedServicesEnv()).DATABASE_URL });
  cleanups.push(() => db.destroy());
  return new FileChunkStore(db);
}

async function range(store: FileStore, id: string, start: number, end: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of await store.readRange(id, start, end)) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe.each([
  ["DATA_DIR", onDisk],
  ["PostgreSQL", inPostgres],
])("ranged reads of files kept in %s", (_where, open) => {
  it("gives back exactly the bytes asked for, wherever they fall", async () => {
    const store = await open();
    const bytes = randomBytes(3 * CHUNK_BYTES + 12_345);
    const id = newId("file");
    // Pieces of 100,000 bytes: chunks end where a flush found them, not on CHUNK_BYTES.
    await store.write(
      id,
      (function* () {
        for (let at = 0; at < bytes.length; at += 100_000) yield bytes.subarray(at, at + 100_000);
      })(),
    );
    const cases: [number, number][] = [
      [0, 10],
      [CHUNK_BYTES - 5, CHUNK_BYTES + 5],
      [CHUNK_BYTES + 100_000, 3 * CHUNK_BYTES + 1],
      [bytes.length - 22, bytes.length],
      [bytes.length - 4, bytes.length + 100],
      [0, bytes.length],
      [7, 7],
    ];
    for (const [start, end] of cases)
      expect((await range(store, id, start, end)).equals(bytes.subarray(start, end))).toBe(true);
    expect((await range(store, newId("file"), 0, 10)).length).toBe(0);
  });
});
