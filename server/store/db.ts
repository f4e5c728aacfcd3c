// server/store/: all SQL and stored bytes (file-store.ts); imports only networks/ and http/ of the server.
// Opens the store the configuration names — PostgreSQL when DATABASE_URL is set, else the SQLite file
// in DATA_DIR — through Kysely, and applies the versioned migrations. All SQL lives under server/store/.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from "kysely";
import { migrations } from "./migrations";
import type { Database } from "./schema";

export type Db = Kysely<Database>;

/** Where the store lives: `databaseUrl` (postgres://…) when set, else DATA_DIR/hatch.sqlite. */
export interface StoreLocation {
  dataDir: string;
  databaseUrl: string | null;
}

/** PostgreSQL's int8 (bigint, bigserial, count) as a number: every one here is an epoch-ms time, an id or a count, far below 2^53. */
const INT8_OID = 20;

/**
 * Opens (creating if needed) the store, migrated to the latest version. Migrations only go forward,
 * at start. Instances starting at once on one PostgreSQL migrate one at a time: Kysely's Migrator
 * holds pg_advisory_lock (its PostgresAdapter) while it reads what has run and runs the rest in one
 * transaction, so the next one waits and then finds nothing to do (test/server/upgrade.test.ts).
 */
export async function openDb(where: StoreLocation): Promise<Db> {
  const db = where.databaseUrl ? await openPostgres(where.databaseUrl) : openSqlite(where.dataDir);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations as Record<string, Migration> },
  });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    throw migrationFailure(error);
  }
  return db;
}

/** Kysely's error, said as what to do when a newer Hatch migrated the database: there is no going back. */
function migrationFailure(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const newer = /previously executed migration (\S+) is missing/.exec(message);
  if (!newer) return error instanceof Error ? error : new Error(message);
  return new Error(
    `The database was migrated by a newer Hatch (migration ${newer[1]}, which this version does not have), and migrations only go forward: run that version or a later one, or restore the backup taken before the upgrade.`,
  );
}

/** SQLite in WAL mode: one process, readers never wait for the writer. */
function openSqlite(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const sqlite = new SQLite(join(dataDir, "hatch.sqlite"));
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

async function openPostgres(url: string): Promise<Db> {
  // Loaded only here: a SQLite deployment and the `hatch` commands on it start without pg's ~60 ms.
  const { default: pg } = await import("pg");
  const types = {
    getTypeParser: ((oid: number, format?: "text" | "binary") =>
      oid === INT8_OID
        ? (value: string) => Number(value)
        : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: url, types, max: 20 });
  // An idle client's error (the server restarting) is the pool's to replace, not the process's to die of.
  pool.on("error", () => undefined);
  // A client in use has no listener of the pool's: its lost connection would be an uncaught 'error' and
  // end the process. The query it ran fails on its own, and the pool drops the client when it comes back.
  pool.on("connect", (client) => client.on("error", () => undefined));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
