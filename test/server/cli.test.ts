// The hatch command run as a process over a temp DATA_DIR: accounts and users, passwords from stdin.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../server/auth/passwords";
import { AccountStore } from "../../server/store/accounts";
import { openDb } from "../../server/store/db";
import { TwoFactorStore } from "../../server/store/two-factor";
import { sharedServicesEnv } from "./shared-services";

const dataDir = mkdtempSync(join(tmpdir(), "hatch-cli-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function hatch(args: string[], input: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ["bin/hatch.js", ...args], {
    input,
    env: { ...process.env, DATA_DIR: dataDir, ...env },
    encoding: "utf8",
  });
  return { status: result.status, out: result.stdout.trim(), err: result.stderr.trim() };
}

async function login(account: string, email: string, password: string, databaseUrl: string | null = null) {
  const db = await openDb({ dataDir, databaseUrl });
  try {
    const user = await new AccountStore(db).findLogin(account, email);
    return user !== null && (await verifyPassword(password, user.passwordHash)) ? user.role : null;
  } finally {
    await db.destroy();
  }
}

describe("the hatch command", () => {
  it("works against DATABASE_URL, as every instance of a deployment sees it", async () => {
    const shared = await sharedServicesEnv();
    const created = hatch(["account", "create", "pg-shop", "--owner", "ann@pg.test"], "a long secret pw\n", shared);
    expect(created).toMatchObject({ status: 0, out: "Created account pg-shop with owner ann@pg.test." });
    expect(hatch(["user", "add", "pg-shop", "bob@pg.test", "--role", "agent"], "another secret\n", shared).status).toBe(
      0,
    );
    expect(await login("pg-shop", "bob@pg.test", "another secret", shared.DATABASE_URL)).toBe("agent");
    // Not in SQLite: the command went where DATABASE_URL said.
    expect(await login("pg-shop", "ann@pg.test", "a long secret pw")).toBeNull();
  });

  it("creates an account with its owner, the password read from stdin", async () => {
    const result = hatch(["account", "create", "demo-shop", "--owner", "Ann@Shop.test"], "a long secret pw\n");
    expect(result).toMatchObject({ status: 0, out: "Created account demo-shop with owner ann@shop.test." });
    expect(await login("demo-shop", "ann@shop.test", "a long secret pw")).toBe("owner");
  });

  it("adds an agent to an existing account", async () => {
    const result = hatch(["user", "add", "demo-shop", "bob@shop.test", "--role", "agent"], "another secret\n");
    expect(result.status).toBe(0);
    expect(await login("demo-shop", "bob@shop.test", "another secret")).toBe("agent");
  });

  it.each([
    [["account", "create", "Bad_Id", "--owner", "a@b.c"], "ACCOUNT: An account id is 3 to 40 lower-case letters"],
    [["account", "create", "demo-shop", "--owner", "x@y.z"], `Account "demo-shop" exists already.`],
    [["user", "add", "nowhere", "c@d.e", "--role", "agent"], `There is no account "nowhere"`],
    [["user", "add", "demo-shop", "bob@shop.test", "--role", "agent"], "bob@shop.test is already a user of demo-shop."],
    [["user", "add", "demo-shop", "eve@shop.test", "--role", "admin"], '--role is "agent" or "owner", not "admin"'],
    [["account", "create", "other-shop", "--owner", "not-an-email"], "--owner: Enter an email address"],
  ])("refuses %j with a message and exit 2", (args, message) => {
    const result = hatch(args, "long enough password\n");
    expect(result.status).toBe(2);
    expect(result.err).toContain(message);
  });

  it("voids the first-run link a start printed before the account was made", async () => {
    const empty = mkdtempSync(join(tmpdir(), "hatch-cli-"));
    try {
      let db = await openDb({ dataDir: empty, databaseUrl: null });
      const token = await new AccountStore(db).createSetupToken(Date.now());
      await db.destroy();
      const result = spawnSync(
        process.execPath,
        ["bin/hatch.js", "account", "create", "first-shop", "--owner", "ann@first.test"],
        {
          input: "a long secret pw\n",
          env: { ...process.env, DATA_DIR: empty },
          encoding: "utf8",
        },
      );
      expect(result.status).toBe(0);
      db = await openDb({ dataDir: empty, databaseUrl: null });
      expect(await new AccountStore(db).useSetupToken(token, Date.now())).toBe(false);
      await db.destroy();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("changes a user's role, and keeps the last owner an owner", async () => {
    hatch(["account", "create", "team-shop", "--owner", "ann@team.test"], "a long secret pw\n");
    hatch(["user", "add", "team-shop", "bob@team.test", "--role", "agent"], "another secret\n");
    expect(hatch(["user", "role", "team-shop", "bob@team.test", "owner"], "")).toMatchObject({
      status: 0,
      out: "bob@team.test is now an owner of team-shop.",
    });
    expect(await login("team-shop", "bob@team.test", "another secret")).toBe("owner");
    expect(hatch(["user", "role", "team-shop", "ann@team.test", "agent"], "").status).toBe(0);
    const last = hatch(["user", "role", "team-shop", "bob@team.test", "agent"], "");
    expect(last).toMatchObject({ status: 2, err: expect.stringContaining("last owner") });
    expect(await login("team-shop", "bob@team.test", "another secret")).toBe("owner");
  });

  it("sets a user's password from stdin, and removes a user", async () => {
    expect(hatch(["user", "password", "team-shop", "ann@team.test"], "a brand new secret\n").status).toBe(0);
    expect(await login("team-shop", "ann@team.test", "a brand new secret")).toBe("agent");
    expect(await login("team-shop", "ann@team.test", "a long secret pw")).toBeNull();
    expect(hatch(["user", "remove", "team-shop", "ann@team.test"], "")).toMatchObject({
      status: 0,
      out: "Removed ann@team.test from team-shop: their sessions have ended; consoles they have open close within 15 seconds.",
    });
    expect(await login("team-shop", "ann@team.test", "a brand new secret")).toBeNull();
    const last = hatch(["user", "remove", "team-shop", "bob@team.test"], "");
    expect(last).toMatchObject({ status: 2, err: expect.stringContaining("last owner") });
    expect(hatch(["user", "remove", "team-shop", "ann@team.test"], "").err).toContain(
      "ann@team.test is not a user of team-shop",
    );
  });

  it("turns two-factor off for a user who lost their phone, audited as the command line's doing", async () => {
    const db = await openDb({ dataDir, databaseUrl: null });
    try {
      const bob = (await new AccountStore(db).findLogin("team-shop", "bob@team.test"))!;
      const twoFactor = new TwoFactorStore(db);
      const enrolment = {
        secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        sessionHash: "a session",
        step: 1,
        backupHashes: [],
      };
      await twoFactor.startEnrolment(bob.id, enrolment.secret, enrolment.sessionHash);
      await twoFactor.confirm(bob, enrolment, Date.now());
      expect(hatch(["user", "reset-2fa", "team-shop", "bob@team.test"], "")).toMatchObject({
        status: 0,
        out: "Turned two-factor sign-in off for bob@team.test of team-shop: they sign in with their password, and can enrol a phone again in Options.",
      });
      expect((await twoFactor.status(bob)).enabled).toBe(false);
      const audit = await db
        .selectFrom("audit_log")
        .select(["action", "detail"])
        .where("account_id", "=", "team-shop")
        .execute();
      expect(
        audit.filter((entry) => entry.action === "user.two_factor_off").map((entry) => JSON.parse(entry.detail).via),
      ).toEqual(["command line"]);
      const again = hatch(["user", "reset-2fa", "team-shop", "bob@team.test"], "");
      expect(again).toMatchObject({ status: 2, err: expect.stringContaining("does not sign in with two-factor") });
    } finally {
      await db.destroy();
    }
  });

  it.each([["--help"], ["-h"], []])("prints the usage for %j and exits 0", (...args) => {
    const result = hatch(args, "");
    expect(result).toMatchObject({ status: 0, err: "" });
    expect(result.out).toMatch(/^Usage:\n/);
    expect(result.out).toContain("npx hatch user remove ACCOUNT EMAIL");
  });

  it.each([
    [["frobnicate"]],
    [["user", "add", "--bogus"]],
    [["user", "role", "team-shop"]],
    [["user", "toString", "a", "b"]],
    [["user", "remove", "team-shop", "bob@team.test", "--role", "owner"]],
    [["account", "create", "lone-shop"]],
    [["user", "add", "team-shop", "eve@team.test"]],
  ])("answers %j with the usage on stderr, exit 2, no stack trace, and no store made", (args) => {
    const empty = mkdtempSync(join(tmpdir(), "hatch-cli-"));
    try {
      const result = hatch(args, "", { DATA_DIR: empty });
      expect(result.status).toBe(2);
      expect(result.err).toContain("Usage:");
      expect(result.err).not.toMatch(/^\s+at /m);
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("refuses a short password and creates nothing", async () => {
    const result = hatch(["account", "create", "tiny-pw", "--owner", "t@t.test"], "short\n");
    expect(result.status).toBe(2);
    expect(result.err).toContain("Use at least 10 characters.");
    const db = await openDb({ dataDir, databaseUrl: null });
    expect(await new AccountStore(db).accountExists("tiny-pw")).toBe(false);
    await db.destroy();
  });
});
