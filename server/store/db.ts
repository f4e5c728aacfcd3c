// Opens the SQLite file through Kysely and applies the versioned migrations.
// All SQL lives under server/store/, so PostgreSQL is a dialect change (kysely's PostgresDialect + pg).

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect, type Migration } from "kysely";
import { migrations } from "./migrations";
import type { Database } from "./schema";

export type Db = Kysely<Database>;

/** Opens (creating if needed) `DATA_DIR/hatch.sqlite` in WAL mode, migrated to the latest version. */
export async function openDb(dataDir: string): Promise<Db> {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new SQLite(join(dataDir, "hatch.sqlite"));
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations as Record<string, Migration> },
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return db;
}
