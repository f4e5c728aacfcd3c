// Where uploaded files' bytes live: DATA_DIR/files/<id> for one process (the SQLite default), the
// database for many instances that share no disk (store/file-chunks.ts). Ids are random and
// server-made, never a visitor's name. On disk an upload is written to a hidden `.<random>.part`
// file beside the others and renamed once it is whole.

import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync } from "node:fs";
import { open, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

export interface FileStore {
  /** Stores `source` under `id` as it arrives; once it returns the file is whole. On any failure nothing of it stays. */
  write(id: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void>;
  /** The bytes as a stream, and how many there are; null when there are none. */
  read(id: string): Promise<{ size: number; stream: Readable } | null>;
  /**
   * Bytes `start` (inclusive) to `end` (exclusive) as a stream, cut short at the file's end; an empty stream
   * when there are none. For readers that need random access without the whole file: a ZIP's directory is at its end.
   */
  readRange(id: string, start: number, end: number): Promise<Readable>;
  remove(id: string): Promise<void>;
  /** Removes what uploads that never finished left behind before `startedAt` (this process's start); says how many. */
  sweep(startedAt: number): Promise<number>;
}

/** An upload still being written, or one whose process died before it was whole. */
const PARTIAL_FILE = /^\.[0-9a-f]{16}\.part$/;

function filesDir(dataDir: string): string {
  return join(dataDir, "files");
}

function filePath(dataDir: string, fileId: string): string {
  if (!/^file_[A-Za-z0-9_-]{16}$/.test(fileId)) throw new Error(`not a file id: ${fileId}`);
  return join(filesDir(dataDir), fileId);
}

/** A fresh name for an upload being written. */
function partialPath(dataDir: string): string {
  return join(filesDir(dataDir), `.${randomBytes(8).toString("hex")}.part`);
}

/**
 * Removes the partial uploads last written before `before` (ms since the epoch), and says how many:
 * what a SIGKILL, a crash or a shutdown that ran out of time left behind. A part this process is
 * writing was touched after it started, so calling this with the start time is safe once listening.
 *
 * One DATA_DIR belongs to one process: SQLite's store, the in-process limits and event fan-out are
 * not shared, so two processes on one DATA_DIR are not supported, and a second one's sweep could
 * remove a part the first has not touched for a while. Many instances (DATABASE_URL, DESIGN.md
 * "Scale") each have their own DATA_DIR.
 */
async function sweepPartialFiles(dataDir: string, before: number): Promise<number> {
  const dir = filesDir(dataDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
  let removed = 0;
  for (const name of names.filter((n) => PARTIAL_FILE.test(n))) {
    const path = join(dir, name);
    const stale = await stat(path).then(
      (s) => s.mtimeMs < before,
      () => false,
    );
    if (!stale) continue;
    await rm(path, { force: true });
    removed++;
  }
  return removed;
}

/** Files in DATA_DIR/files. */
export function diskFileStore(dataDir: string): FileStore {
  return {
    async write(id, source) {
      mkdirSync(filesDir(dataDir), { recursive: true, mode: 0o700 });
      const partial = partialPath(dataDir);
      try {
        // pipeline ends or destroys every stage on any error, a full disk included.
        await pipeline(source, createWriteStream(partial, { mode: 0o600 }));
        await rename(partial, filePath(dataDir, id));
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },
    async read(id) {
      // Opened once and streamed from the same handle, so the length said is the length read.
      const handle = await open(filePath(dataDir, id), "r").catch(() => null);
      if (!handle) return null;
      try {
        const { size } = await handle.stat();
        return { size, stream: createReadStream("", { fd: handle }) };
      } catch (error) {
        await handle.close();
        throw error;
      }
    },
    async readRange(id, start, end) {
      if (end <= start) return Readable.from([]);
      const handle = await open(filePath(dataDir, id), "r").catch(() => null);
      if (!handle) return Readable.from([]);
      // A range in one read, up to 1 MiB, not in 64 KiB pieces: a ZIP's inspection reads its upload back
      // in 512 KiB blocks, and eight reads a block took a tenth of it (bench/inspection.ts).
      return createReadStream("", { fd: handle, start, end: end - 1, highWaterMark: Math.min(end - start, 1 << 20) });
    },
    async remove(id) {
      await rm(filePath(dataDir, id), { force: true });
    },
    sweep: (startedAt) => sweepPartialFiles(dataDir, startedAt),
  };
}
