// Where uploaded files live: DATA_DIR/files/<id>. Ids are random and server-made, never a visitor's name.
// An upload is written to a hidden `.<random>.part` file beside them and renamed once it is whole.

import { randomBytes } from "node:crypto";
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";

/** An upload still being written, or one whose process died before it was whole. */
const PARTIAL_FILE = /^\.[0-9a-f]{16}\.part$/;

export function filesDir(dataDir: string): string {
  return join(dataDir, "files");
}

export function filePath(dataDir: string, fileId: string): string {
  if (!/^file_[A-Za-z0-9_-]{16}$/.test(fileId)) throw new Error(`not a file id: ${fileId}`);
  return join(filesDir(dataDir), fileId);
}

/** A fresh name for an upload being written. */
export function partialPath(dataDir: string): string {
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
export async function sweepPartialFiles(dataDir: string, before: number): Promise<number> {
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
    const stale = await stat(path).then((s) => s.mtimeMs < before, () => false);
    if (!stale) continue;
    await rm(path, { force: true });
    removed++;
  }
  return removed;
}
