// Which engine a Kysely instance talks to, for the few places where SQLite and PostgreSQL must differ.

import { PostgresAdapter, type Kysely } from "kysely";

export function onPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
