// Uploaded files kept in the database, for many instances that share no disk: the bytes go in as
// numbered chunks while they arrive and come out a chunk at a time, so no file is ever whole in
// memory and any instance serves any file. No transaction spans an upload (a slow visitor must not
// hold a connection): a file's chunks are written under its id and removed if it does not complete;
// what a killed process left is swept by age.

import { Readable } from "node:stream";
import type { Db } from "./db";
import type { FileStore } from "./file-store";

/** Chunks of 256 KiB: few rows per file, little memory per upload in flight. */
export const CHUNK_BYTES = 256 * 1024;

/** An upload still being written after this long has died with its process: other instances may sweep it. */
const ABANDONED_AFTER_MS = 2 * 3600 * 1000;

export class FileChunkStore implements FileStore {
  constructor(private readonly db: Db) {}

  async write(id: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void> {
    const now = Date.now();
    let seq = 0;
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      const bytes = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      await this.db.insertInto("file_chunks").values({ file_id: id, seq: seq++, bytes, created_at: now }).execute();
    };
    try {
      for await (const chunk of source) {
        pending.push(chunk);
        pendingBytes += chunk.byteLength;
        if (pendingBytes >= CHUNK_BYTES) await flush();
      }
      await flush();
    } catch (error) {
      await this.remove(id);
      throw error;
    }
  }

  /** The file's bytes as a stream that reads one chunk at a time, and their size; null when there are none. */
  async read(id: string): Promise<{ size: number; stream: Readable } | null> {
    const total = await this.db
      .selectFrom("file_chunks")
      .select((eb) => [eb.fn.countAll<number>().as("chunks"), eb.fn.sum<number>(eb.fn("length", ["bytes"])).as("size")])
      .where("file_id", "=", id)
      .executeTakeFirst();
    const chunks = Number(total?.chunks ?? 0);
    if (chunks === 0) return null;
    let seq = 0;
    const db = this.db;
    const stream = new Readable({
      async read() {
        try {
          if (seq >= chunks) return void this.push(null);
          const row = await db
            .selectFrom("file_chunks")
            .select("bytes")
            .where("file_id", "=", id)
            .where("seq", "=", seq++)
            .executeTakeFirst();
          this.push(row ? Buffer.from(row.bytes) : null);
        } catch (error) {
          this.destroy(error as Error);
        }
      },
    });
    return { size: Number(total?.size ?? 0), stream };
  }

  /**
   * Bytes `start` to `end` (exclusive): the chunks' lengths first (chunks are not all the same size: a
   * flush takes what is pending), then only the chunks the range touches, one at a time, each cut to it.
   */
  async readRange(id: string, start: number, end: number): Promise<Readable> {
    const lengths = await this.db
      .selectFrom("file_chunks")
      .select((eb) => ["seq", eb.fn<number>("length", ["bytes"]).as("length")])
      .where("file_id", "=", id)
      .orderBy("seq")
      .execute();
    const wanted: { seq: number; from: number; to: number }[] = [];
    let at = 0;
    for (const { seq, length } of lengths) {
      const size = Number(length);
      if (at + size > start && at < end)
        wanted.push({ seq, from: Math.max(0, start - at), to: Math.min(size, end - at) });
      at += size;
    }
    const db = this.db;
    return new Readable({
      async read() {
        const next = wanted.shift();
        if (!next) return void this.push(null);
        try {
          const row = await db
            .selectFrom("file_chunks")
            .select("bytes")
            .where("file_id", "=", id)
            .where("seq", "=", next.seq)
            .executeTakeFirst();
          this.push(row ? Buffer.from(row.bytes).subarray(next.from, next.to) : null);
        } catch (error) {
          this.destroy(error as Error);
        }
      },
    });
  }

  async remove(id: string): Promise<void> {
    await this.db.deleteFrom("file_chunks").where("file_id", "=", id).execute();
  }

  /**
   * Removes chunks no stored file or avatar owns, written long enough ago that no instance can still be
   * writing them: uploads a killed process never finished. Other instances may be mid-upload, so
   * this process's own start is not the line.
   */
  async sweep(startedAt: number): Promise<number> {
    const result = await this.db
      .deleteFrom("file_chunks")
      .where("created_at", "<", Math.min(startedAt, Date.now() - ABANDONED_AFTER_MS))
      .where("file_id", "not in", this.db.selectFrom("files").select("id"))
      .where("file_id", "not in", this.db.selectFrom("avatars").select("file_id"))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
