// Console sign-in and out, the session cookie, CSRF, limits and security headers; the first-run link.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config";
import { hashPassword } from "../../server/passwords";
import { startServer } from "../../server/server";
import { PASSWORD, startHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${h.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: h.origin, ...headers },
    body: JSON.stringify(body),
  });
}

describe("console session", () => {
  it("signs in with a secure cookie and tells who is signed in", async () => {
    const response = await post("/api/v1/console/session", {
      account: "acme",
      email: "Owner@Acme.test ",
      password: PASSWORD,
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/hatch_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const me = await fetch(`${h.url}/api/v1/console/me`, { headers: { cookie: cookie.split(";")[0]! } });
    expect(await me.json()).toMatchObject({
      user: { email: "owner@acme.test", role: "owner" },
      account: "acme",
      options: { imagePreviews: true },
    });
  });

  it("answers a wrong password, email or account the same way", async () => {
    for (const body of [
      { account: "acme", email: "owner@acme.test", password: "wrong password" },
      { account: "acme", email: "nobody@acme.test", password: PASSWORD },
      { account: "nope", email: "owner@acme.test", password: PASSWORD },
    ]) {
      const response = await post("/api/v1/console/session", body);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: { code: "bad_credentials", message: "That account, email and password do not match." },
      });
    }
  });

  it("rejects unknown fields and says which", async () => {
    const response = await post("/api/v1/console/session", {
      account: "acme",
      email: "owner@acme.test",
      password: PASSWORD,
      admin: true,
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("invalid");
    expect(body.error.fields).toEqual({ admin: `Unknown field "admin": remove it.` });
  });

  it("refuses a sign-in from another origin (CSRF)", async () => {
    const response = await post(
      "/api/v1/console/session",
      { account: "acme", email: "owner@acme.test", password: PASSWORD },
      { origin: "https://evil.example" },
    );
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe("cross_origin");
  });

  it("is 401 without a session and after signing out", async () => {
    expect((await fetch(`${h.url}/api/v1/console/me`)).status).toBe(401);
    const client = await h.login("acme", "agent@acme.test");
    expect((await client.fetch("/api/v1/console/session", { method: "DELETE" })).status).toBe(204);
    expect((await client.fetch("/api/v1/console/me")).status).toBe(401);
  });

  it("stores the image preview default per user", async () => {
    const agent = await h.login("acme", "agent@acme.test");
    const owner = await h.login("acme", "owner@acme.test");
    const patch = await agent.fetch("/api/v1/console/me/options", { method: "PATCH", json: { imagePreviews: false } });
    expect(await patch.json()).toEqual({ imagePreviews: false, displayName: null });
    expect((await (await agent.fetch("/api/v1/console/me")).json()).options.imagePreviews).toBe(false);
    expect((await (await owner.fetch("/api/v1/console/me")).json()).options.imagePreviews).toBe(true);
    const bad = await agent.fetch("/api/v1/console/me/options", { method: "PATCH", json: { imagePreviews: "no" } });
    expect(bad.status).toBe(400);
    expect((await (await agent.fetch("/api/v1/console/me")).json()).options.imagePreviews).toBe(false);
  });

  it("sends security headers", async () => {
    const response = await fetch(`${h.url}/api/v1/console/me`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("refuses an oversized body with 413", async () => {
    const response = await post("/api/v1/console/session", {
      account: "acme",
      email: "x@y.z",
      password: "x".repeat(70_000),
    });
    expect(response.status).toBe(413);
  });

  it("rate-limits sign-in attempts with Retry-After", async () => {
    let last: Response | undefined;
    for (let i = 0; i < 12; i++)
      last = await post("/api/v1/console/session", {
        account: "rival",
        email: "owner@rival.test",
        password: "guess number " + i,
      });
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("the first-run setup link", () => {
  const form = { account: "late-shop", name: "Late Shop", email: "me@late.test", password: "a good long password" };

  it("creates nothing once any account exists, even with a valid unused link", async () => {
    const token = await h.server.deps.accounts.createSetupToken(Date.now());
    const accounts = await h.server.deps.accounts.countAccounts();
    const response = await post("/api/v1/console/setup", { ...form, token });
    expect(response.status).toBe(403);
    expect(response.headers.get("set-cookie")).toBeNull();
    const { error } = await response.json();
    expect(error.code).toBe("setup_link_used");
    expect(error.message).toContain("npx hatch account create");
    expect(await h.server.deps.accounts.countAccounts()).toBe(accounts);
    expect(await h.server.deps.accounts.accountExists("late-shop")).toBe(false);
  });

  it("does not tell anyone without a link which account ids exist", async () => {
    const taken = await post("/api/v1/console/setup", { ...form, token: "guessed", account: "acme" });
    const free = await post("/api/v1/console/setup", { ...form, token: "guessed", account: "no-such-shop" });
    expect(taken.status).toBe(free.status);
    expect(await taken.json()).toEqual(await free.json());
  });

  it("is void once the first account is made another way, as the hatch command does", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hatch-setup-"));
    const server = await startServer(loadConfig({ HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir }));
    try {
      // The link `npm start` printed on the empty data directory, then an account made without it.
      const token = await server.deps.accounts.createSetupToken(Date.now());
      const { accounts, now } = server.deps;
      await accounts.createAccount("cli-shop", "CLI Shop", now());
      await accounts.addUser("cli-shop", "ann@cli.test", await hashPassword(PASSWORD), "owner", now());
      const response = await fetch(`${server.url}/api/v1/console/setup`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: new URL(server.deps.config.publicUrl).origin },
        body: JSON.stringify({ ...form, token }),
      });
      expect(response.status).toBe(403);
      expect((await response.json()).error.message).toContain("npx hatch account create");
      expect(await accounts.countAccounts()).toBe(1);
      // Nor can the store be talked into it past the route.
      expect(await accounts.useSetupToken(token, now())).toBe(false);
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
