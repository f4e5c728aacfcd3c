// Upgrades: today's Hatch started on deployments the schema of migration 0006 wrote (SQLite and
// PostgreSQL, test/fixtures/upgrade/) finds everything in them; instances starting at once on one
// fresh PostgreSQL migrate it once; a database a newer Hatch migrated is refused, not run.
// Runs once, in the sqlite project: each test picks its engine.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "../../server/store/db";
import { migrations } from "../../server/store/migrations";
import { FIXTURE_MIGRATION, OLD, UPGRADE_FIXTURES } from "../fixtures/old-deployment";
import { readFixture } from "../fixtures/read";
import { signIn, startInstance, type Harness } from "./harness";
import { postgresBinDir, runTool } from "./postgres-tools";
import { sharedServicesEnv } from "./shared-services";

const SITE = "https://oldshop.example";
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "hatch-upgrade-"));
  dirs.push(dir);
  return dir;
}

/** The migrations the store has run, in order. */
async function applied(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((row) => row.name);
}

/** Whether the verdict shows the chat to a visitor at `ip` (the harness trusts loopback's X-Forwarded-For). */
async function shown(h: Harness, ip: string): Promise<boolean> {
  const page = encodeURIComponent(`${SITE}/`);
  const answer = await fetch(`${h.url}/api/v1/widget/${OLD.account.id}/ticket?page=${page}`, {
    headers: { origin: SITE, "x-forwarded-for": ip },
  });
  return ((await answer.json()) as { show: boolean }).show;
}

/** Everything the 0006 deployment held, found through today's API. */
async function expectOldDeployment(h: Harness): Promise<void> {
  expect(await applied(h.server.deps.db)).toEqual(Object.keys(migrations).sort());
  const ann = await signIn(h.url, OLD.account.id, OLD.owner.email, { password: OLD.password });
  await signIn(h.url, OLD.account.id, OLD.agent.email, { password: OLD.password });

  const listed = await (await ann.fetch("/api/v1/console/conversations?status=active")).json();
  expect(listed.conversations.map((c: { id: string }) => c.id)).toEqual([OLD.conversation.id]);
  const chat = await (await ann.fetch(`/api/v1/console/conversations/${OLD.conversation.id}`)).json();
  expect(chat.conversation).toMatchObject({ visitorId: OLD.conversation.visitorId, page: OLD.conversation.page });
  expect(chat.messages.map((m: { author: string; text: string }) => [m.author, m.text])).toEqual(
    OLD.messages.map((m) => [m.author, m.text]),
  );
  expect(chat.messages[2].file).toMatchObject({ id: OLD.file.id, name: OLD.file.name });
  const download = await ann.fetch(`/api/v1/console/files/${OLD.file.id}`);
  expect(download.status).toBe(200);
  expect(new Uint8Array(await download.arrayBuffer())).toEqual(readFixture(OLD.file.fixture));

  expect(await (await ann.fetch("/api/v1/console/policy")).json()).toMatchObject({ countries: OLD.policy.countries });
  const { rules } = await (await ann.fetch("/api/v1/console/rules")).json();
  expect(rules.map((r: { id: string; rule: string }) => [r.id, r.rule])).toEqual([[OLD.rule.id, OLD.rule.text]]);
  // The old rule still decides: its network is hidden, another address shown.
  expect(await shown(h, "203.0.113.9")).toBe(false);
  expect(await shown(h, "192.0.2.10")).toBe(true);
}

describe("an upgrade from the schema of migration 0006", () => {
  it("the fixtures are at 0006 exactly, and today's Hatch has migrations after it", () => {
    const names = Object.keys(migrations).sort();
    expect(names.indexOf(FIXTURE_MIGRATION)).toBe(5);
    expect(names.length).toBeGreaterThan(6);
    const sqlite = new SQLite(join(UPGRADE_FIXTURES, "hatch-0006.sqlite"), { readonly: true });
    const ran = sqlite.prepare("select name from kysely_migration order by name").all();
    sqlite.close();
    expect(ran).toEqual(names.slice(0, 6).map((name) => ({ name })));
    const dump = readFileSync(join(UPGRADE_FIXTURES, "hatch-0006.pg.sql"), "utf8");
    expect(names.filter((name) => dump.includes(name))).toEqual(names.slice(0, 6));
  });

  it("starts on an SQLite data folder 0006 wrote: the account, its users, the chat and its file are there", async () => {
    const dataDir = tempDir();
    cpSync(join(UPGRADE_FIXTURES, "hatch-0006.sqlite"), join(dataDir, "hatch.sqlite"));
    cpSync(join(UPGRADE_FIXTURES, "files"), join(dataDir, "files"), { recursive: true });
    const h = await startInstance({ DATA_DIR: dataDir, TRUST_PROXY: "loopback" });
    try {
      await expectOldDeployment(h);
    } finally {
      await h.stop();
    }
  });

  it("starts on a PostgreSQL database 0006 wrote (its pg_dump loaded with psql): the same is there", async () => {
    const shared = await sharedServicesEnv();
    await runTool(join(postgresBinDir(), "psql"), [
      "--no-psqlrc",
      "--quiet",
      "--set=ON_ERROR_STOP=1",
      `--file=${join(UPGRADE_FIXTURES, "hatch-0006.pg.sql")}`,
      shared.DATABASE_URL,
    ]);
    const h = await startInstance({ ...shared, TRUST_PROXY: "loopback" });
    try {
      await expectOldDeployment(h);
    } finally {
      await h.stop();
    }
  });
});

describe("migrations", () => {
  it("run once when two instances start at once on one fresh PostgreSQL: both come up", async () => {
    const shared = await sharedServicesEnv();
    const instances = await Promise.all([startInstance(shared), startInstance(shared)]);
    try {
      for (const h of instances) expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
      const { rows } = await sql<{ name: string; runs: number }>`
        select name, count(*)::int as runs from kysely_migration group by name order by name`.execute(
        instances[0].server.deps.db,
      );
      expect(rows).toEqual(
        Object.keys(migrations)
          .sort()
          .map((name) => ({ name, runs: 1 })),
      );
    } finally {
      await Promise.all(instances.map((h) => h.stop()));
    }
  });

  it("only go forward: a database a newer Hatch migrated is refused with what to do", async () => {
    const where = { dataDir: tempDir(), databaseUrl: null };
    const db = await openDb(where);
    await sql`insert into kysely_migration (name, timestamp) values ('9999-from-a-later-hatch', '2099-01-01')`.execute(
      db,
    );
    await db.destroy();
    await expect(openDb(where)).rejects.toThrow(
      "The database was migrated by a newer Hatch (migration 9999-from-a-later-hatch, which this version does not have)",
    );
  });
});
