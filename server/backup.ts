// `hatch backup FILE` and `hatch restore FILE` for an SQLite deployment: one gzipped tar that holds
// the database, copied through SQLite's online backup while Hatch serves, and the uploads it names.
//
// Consistency: the database is copied first, in one read transaction (a snapshot); then the files
// that snapshot names. An upload's bytes are whole on disk (renamed from their `.part`) before the
// row naming them commits, and nothing removes the bytes of a committed row (file-store.ts), so every
// file the snapshot names is there to copy. Uploads that finish after the snapshot are left out, and
// nothing in the copy names them; `.part` files are never named, so never copied. The reverse order
// (files, then database) would let the copy name a file it does not hold.
//
// The archive is written and read by `tar` (node-tar, npm's own; a dependency for this): a format any
// machine opens with `tar -xzf` to look inside, gzip's checksum to tell a damaged copy, and an
// unpacker that checks each entry's path, which restore narrows to the layout below.

import SQLite from "better-sqlite3";
import { constants } from "node:fs";
import { access, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import * as tar from "tar";
import * as z from "zod/mini";
import type { Config } from "./config";
import { CommandRefusal } from "./command-refusal";
import { migrations } from "./store/migrations";

// The archive's layout: the manifest first, then the database, then `files/<id>` for each upload.
const MANIFEST = "hatch-backup.json";
const DATABASE = "hatch.sqlite";
const FILES = "files";
const FILE_ID = "file_[A-Za-z0-9_-]{16}";
const FILE_ENTRY = new RegExp(`^${FILES}/${FILE_ID}$`);

const manifestSchema = z.object({
  format: z.literal("hatch-backup"),
  version: z.literal(1),
  createdAt: z.string(),
  /** The last migration the database had: a Hatch that lacks it cannot run the copy. */
  migration: z.string(),
  /** Each upload in the archive and its size in bytes. */
  files: z.record(z.string().check(z.regex(new RegExp(`^${FILE_ID}$`))), z.number()),
});
type Manifest = z.infer<typeof manifestSchema>;

const PG_DUMP_HINT =
  'the store and its files are in PostgreSQL: back it up with pg_dump --format=custom and restore with pg_restore (README, "Backups and upgrades").';

/**
 * Writes DATA_DIR's database and the uploads it names into `file`, while Hatch may be serving.
 * The archive appears whole or not at all: it is written beside `file` and renamed onto it.
 * @example await backup(loadConfig(), "/var/backups/hatch-2026-07-01.tar.gz") // "Backed up …"
 */
export async function backup(config: Config, file: string): Promise<string> {
  if (config.databaseUrl !== null)
    throw new CommandRefusal(`hatch backup copies SQLite: DATABASE_URL is set, so ${PG_DUMP_HINT}`);
  const database = join(config.dataDir, DATABASE);
  if (!(await exists(database)))
    throw new CommandRefusal(
      `There is no Hatch database in DATA_DIR=${config.dataDir} (no ${DATABASE}): set DATA_DIR to the folder Hatch serves from.`,
    );
  const target = resolve(file);
  const work = await mkdtemp(join(dirname(target), ".hatch-backup-")).catch((error: NodeJS.ErrnoException) => {
    throw new CommandRefusal(
      `Cannot write in ${dirname(target)} (${error.code}): give FILE in a folder that exists and is writable.`,
    );
  });
  try {
    const snapshot = join(work, DATABASE);
    const takenAt = new Date();
    await copyDatabase(database, snapshot);
    const { migration, fileIds } = readSnapshot(snapshot);
    const { present, missing } = await uploadsOnDisk(config.dataDir, fileIds);
    const manifest: Manifest = {
      format: "hatch-backup",
      version: 1,
      createdAt: takenAt.toISOString(),
      migration,
      files: present,
    };
    await writeFile(join(work, MANIFEST), JSON.stringify(manifest, null, 2));
    const entries = new Map([
      [join(work, MANIFEST), MANIFEST],
      [snapshot, DATABASE],
      ...Object.keys(present).map((id) => [join(config.dataDir, FILES, id), `${FILES}/${id}`] as const),
    ]);
    const partial = join(work, "archive");
    await writeArchive(partial, entries);
    await rename(partial, target);
    const count = Object.keys(present).length;
    const gone =
      missing.length === 0
        ? ""
        : `\n${missing.length} file(s) the database names were already missing from ${join(config.dataDir, FILES)} and are not in it: ${missing.join(", ")}`;
    return `Backed up the database and ${count} uploaded file(s) of DATA_DIR=${config.dataDir} to ${target}.${gone}`;
  } finally {
    // node-tar may still be closing a file of an archive it refused: removal retries while it does.
    await rm(work, { recursive: true, force: true, maxRetries: 5 });
  }
}

/** SQLite's online backup in one step: one read transaction, so one moment's database, and the writer never waits. */
async function copyDatabase(source: string, target: string): Promise<void> {
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    // The first step copies nothing; the rest goes in the next one (steps of 100 pages would start
    // over each time Hatch writes in between).
    await db.backup(target, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
}

/** What the copied database says: its last migration and the uploads it names. */
function readSnapshot(path: string): { migration: string; fileIds: string[] } {
  const db = new SQLite(path, { fileMustExist: true });
  try {
    const last = db.prepare("select max(name) as name from kysely_migration").get() as { name: string | null };
    const files = db.prepare("select id from files order by id").all() as { id: string }[];
    return { migration: last.name ?? "", fileIds: files.map((row) => row.id) };
  } finally {
    db.close();
  }
}

/** The sizes of the named uploads found in DATA_DIR/files, and the names of any not there. */
async function uploadsOnDisk(dataDir: string, ids: string[]) {
  const present: Record<string, number> = {};
  const missing: string[] = [];
  for (const id of ids) {
    const size = await stat(join(dataDir, FILES, id)).then(
      (s) => s.size,
      () => null,
    );
    if (size === null) missing.push(id);
    else present[id] = size;
  }
  return { present, missing };
}

/** A gzipped tar of `entries` (path on disk → name in the archive), in their order, readable by its owner only. */
async function writeArchive(file: string, entries: Map<string, string>): Promise<void> {
  // Paths are given from the root and renamed as each entry is written: the entries come from two folders.
  await tar.c(
    {
      file,
      gzip: true,
      portable: true,
      strict: true,
      mode: 0o600,
      cwd: "/",
      onWriteEntry(entry) {
        entry.path = entries.get(entry.absolute) ?? entry.path;
      },
    },
    [...entries.keys()].map((path) => path.slice(1)),
  );
}

/**
 * Fills an empty DATA_DIR from an archive `hatch backup` wrote, unpacked into a folder of its own
 * inside DATA_DIR and moved into place once checked. Refused, DATA_DIR left empty: a folder that is
 * not empty, an archive cut short or damaged, one with any other entry (a path outside the layout,
 * `..`, a link), or one a newer Hatch wrote.
 * @example await restore(loadConfig({ DATA_DIR: "/srv/hatch/data" }), "hatch.tar.gz") // "Restored …"
 */
export async function restore(config: Config, file: string): Promise<string> {
  if (config.databaseUrl !== null)
    throw new CommandRefusal(`hatch restore fills an SQLite DATA_DIR: DATABASE_URL is set, so ${PG_DUMP_HINT}`);
  const archive = resolve(file);
  await access(archive, constants.R_OK).catch((error: NodeJS.ErrnoException) => {
    throw new CommandRefusal(`Cannot read ${archive} (${error.code}): give the path of an archive hatch backup wrote.`);
  });
  const { dataDir } = config;
  await emptyFolder(dataDir);
  const work = await mkdtemp(join(dataDir, ".restore-"));
  try {
    const manifest = await unpack(archive, work);
    checkDatabase(archive, join(work, DATABASE), manifest);
    await rename(join(work, DATABASE), join(dataDir, DATABASE));
    if (Object.keys(manifest.files).length > 0) await rename(join(work, FILES), join(dataDir, FILES));
    const count = Object.keys(manifest.files).length;
    return `Restored the database and ${count} uploaded file(s) backed up at ${manifest.createdAt} into DATA_DIR=${dataDir}: start Hatch with this DATA_DIR.`;
  } finally {
    // node-tar may still be closing a file of an archive it refused: removal retries while it does.
    await rm(work, { recursive: true, force: true, maxRetries: 5 });
  }
}

/** Makes sure `dir` exists and holds nothing. */
async function emptyFolder(dir: string): Promise<void> {
  const names = await mkdir(dir, { recursive: true, mode: 0o700 })
    .then(() => readdir(dir))
    .catch((error: NodeJS.ErrnoException) => {
      throw new CommandRefusal(
        `Cannot use DATA_DIR=${dir} (${error.code}): set DATA_DIR to an empty folder Hatch may write.`,
      );
    });
  if (names.length > 0)
    throw new CommandRefusal(
      `DATA_DIR=${dir} is not empty (it holds ${names.slice(0, 3).join(", ")}${names.length > 3 ? ", …" : ""}): restore fills an empty folder. Set DATA_DIR to a new folder, or move this one's contents away first.`,
    );
}

/** Unpacks the archive's allowed entries into `work` and answers its manifest, or refuses the archive. */
async function unpack(archive: string, work: string): Promise<Manifest> {
  const foreign: string[] = [];
  const seen = new Set<string>();
  const allowed = (path: string, type: string) =>
    type === "File" &&
    !seen.has(path) &&
    (seen.size === 0 ? path === MANIFEST : path === DATABASE || FILE_ENTRY.test(path));
  try {
    await tar.x({
      file: archive,
      cwd: work,
      strict: true,
      preserveOwner: false,
      dmode: 0o700,
      filter(path, entry) {
        const type = "type" in entry ? entry.type : "File";
        if (!allowed(path, type)) {
          foreign.push(`${path} (${type})`);
          return false;
        }
        seen.add(path);
        // Hatch's data is Hatch's alone: no mode an archive carries (setuid, world-writable) survives.
        if ("mode" in entry) entry.mode = 0o600;
        return true;
      },
    });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    // A system error (a full disk) is DATA_DIR's; node-tar's and zlib's are the archive's.
    if (/^E[A-Z]+$/.test(code ?? "")) throw new CommandRefusal(`Cannot write in ${dirname(work)}: ${message}`);
    if (code === "TAR_BAD_ARCHIVE") throw notABackup(archive, message);
    throw new CommandRefusal(`${archive} is cut short or damaged (${message}): restore another copy.`);
  }
  if (foreign.length > 0) throw notABackup(archive, `it holds ${foreign.slice(0, 3).join(", ")}`);
  const absent = [MANIFEST, DATABASE].find((name) => !seen.has(name));
  if (absent) throw notABackup(archive, `it has no ${absent}`);
  const manifest = manifestSchema.safeParse(await readJson(join(work, MANIFEST)));
  if (!manifest.success) throw notABackup(archive, `its ${MANIFEST} is not one hatch backup writes`);
  await checkFiles(archive, work, manifest.data, seen);
  return manifest.data;
}

/** The JSON in a file, or null when it holds none. */
async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as unknown;
  } catch {
    return null;
  }
}

function notABackup(archive: string, why: string): CommandRefusal {
  return new CommandRefusal(`${archive} is not an archive hatch backup wrote (${why}): nothing was restored.`);
}

/** Every upload the manifest lists arrived whole, and nothing else did. */
async function checkFiles(archive: string, work: string, manifest: Manifest, seen: Set<string>): Promise<void> {
  const listed = Object.entries(manifest.files);
  const unlisted = [...seen].filter(
    (path) => FILE_ENTRY.test(path) && !(path.slice(FILES.length + 1) in manifest.files),
  );
  if (unlisted.length > 0) throw notABackup(archive, `${unlisted[0]} is not in its ${MANIFEST}`);
  for (const [id, size] of listed) {
    const found = await stat(join(work, FILES, id)).then(
      (s) => s.size,
      () => null,
    );
    if (found !== size)
      throw new CommandRefusal(
        `${archive} is cut short or damaged (${FILES}/${id}: ${found === null ? "missing" : `${found} bytes, not ${size}`}): restore another copy.`,
      );
  }
}

/** The database is whole, and its last migration is one this Hatch knows (migrations only go forward). */
function checkDatabase(archive: string, path: string, manifest: Manifest): void {
  if (!(manifest.migration in migrations))
    throw new CommandRefusal(
      `${archive} was made by a newer Hatch (its database has migration ${manifest.migration}, which this version does not know): restore it with that version or a later one.`,
    );
  let verdict: string;
  try {
    const db = new SQLite(path, { fileMustExist: true });
    try {
      verdict = String(db.pragma("integrity_check", { simple: true }));
    } finally {
      db.close();
    }
  } catch (error) {
    verdict = (error as Error).message;
  }
  if (verdict !== "ok")
    throw new CommandRefusal(`${archive} holds a damaged database (${verdict}): restore another copy.`);
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
