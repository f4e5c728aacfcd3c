// Console sign-in and out, the session cookie, CSRF, limits and security headers; the first-run link.
import { randomBytes, scryptSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, SCRYPT_PARAMS } from "../../../server/auth/passwords";
import { loadConfig } from "../../../server/config";
import { LIMITS } from "../../../server/limits";
import { memoryRateLimit } from "../../../server/protection/rate-limit";
import { startServer } from "../../../server/server";
import { PASSWORD, startHarness, type Harness } from "../harness";

let h: Harness;
beforeAll(async () => {
  // A trusted proxy on loopback: X-Forwarded-For says which address each attempt comes from.
  h = await startHarness({ TRUST_PROXY: "loopback" });
});
afterAll(() => h.stop());

function post(path: string, body: unknown, headers: Record<string, string> = {}, target = h) {
  return fetch(`${target.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: target.origin, ...headers },
    body: JSON.stringify(body),
  });
}

/** A sign-in to acme as `email` from `address`; the status it got. */
async function signInFrom(address: string, email: string, password: string, target = h): Promise<Response> {
  return post("/api/v1/console/session", { account: "acme", email, password }, { "x-forwarded-for": address }, target);
}

/** `count` addresses of a documentation network, one for each wrong guess of a botnet. */
const addresses = (network: string, count: number) => Array.from({ length: count }, (_, i) => `${network}.${i + 1}`);

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

  it("stores the options per user: image previews, sound, theme and mail, each alone or together", async () => {
    const agent = await h.login("acme", "agent@acme.test");
    const owner = await h.login("acme", "owner@acme.test");
    // Owners hear of offline messages by mail unless they say otherwise; agents once they choose it.
    const defaults = {
      imagePreviews: true,
      displayName: null,
      sound: true,
      theme: "auto",
      mail: { offlineMessages: false, unansweredMinutes: null, digest: false },
    };
    expect((await (await agent.fetch("/api/v1/console/me")).json()).options).toEqual(defaults);
    const patch = await agent.fetch("/api/v1/console/me/options", { method: "PATCH", json: { imagePreviews: false } });
    expect(await patch.json()).toEqual({ ...defaults, imagePreviews: false });
    const both = await agent.fetch("/api/v1/console/me/options", {
      method: "PATCH",
      json: { sound: false, theme: "dark" },
    });
    const changed = { ...defaults, imagePreviews: false, sound: false, theme: "dark" };
    expect(await both.json()).toEqual(changed);
    expect((await (await agent.fetch("/api/v1/console/me")).json()).options).toEqual(changed);
    expect((await (await owner.fetch("/api/v1/console/me")).json()).options).toEqual({
      ...defaults,
      mail: { offlineMessages: true, unansweredMinutes: null, digest: false },
    });
    const mail = await owner.fetch("/api/v1/console/me/options", {
      method: "PATCH",
      json: { mail: { offlineMessages: false } },
    });
    expect((await mail.json()).mail).toEqual({ offlineMessages: false, unansweredMinutes: null, digest: false });
    expect((await (await owner.fetch("/api/v1/console/me")).json()).options).toEqual(defaults);
    const wrong = await owner.fetch("/api/v1/console/me/options", { method: "PATCH", json: { mail: { digest: 1 } } });
    expect(wrong.status).toBe(400);
  });

  it.each([
    ["an image preview default that is not a boolean", { imagePreviews: "no" }, "imagePreviews is true or false."],
    ["a sound that is not a boolean", { sound: "yes" }, "sound is true or false."],
    ["a theme that is not one of the three", { theme: "pink" }, 'theme is "auto", "light" or "dark".'],
    ["a bad theme beside a good sound", { sound: false, theme: "Dark" }, 'theme is "auto", "light" or "dark".'],
  ])("refuses %s with 400 and the field, and changes nothing", async (_what, json, message) => {
    const owner = await h.login("acme", "owner@acme.test");
    const before = (await (await owner.fetch("/api/v1/console/me")).json()).options;
    const bad = await owner.fetch("/api/v1/console/me/options", { method: "PATCH", json });
    expect(bad.status).toBe(400);
    const field = Object.keys(json).at(-1)!;
    expect((await bad.json()).error.fields).toEqual({ [field]: message });
    expect((await (await owner.fetch("/api/v1/console/me")).json()).options).toEqual(before);
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
});

/** The statuses of sign-ins sent at once, in order of sending. */
const statusesOf = async (attempts: Promise<Response>[]) => (await Promise.all(attempts)).map((r) => r.status);

describe("sign-in limits", () => {
  it("let the owner sign in from their address after wrong passwords for them from 10 others", async () => {
    const guesses = addresses("198.51.100", 10).map((address) => signInFrom(address, "owner@acme.test", "a guess"));
    expect(await statusesOf(guesses)).toEqual(Array(10).fill(401));
    expect((await signInFrom("203.0.113.10", "owner@acme.test", PASSWORD)).status).toBe(200);
  });

  it("answer one address that keeps guessing 429 with Retry-After, even with the right password, and no other", async () => {
    const guesser = "192.0.2.66";
    // Sent at once: each guess takes its place in the budget before its password is checked.
    const guesses = Array.from({ length: LIMITS.loginFailuresByUserAndIp.limit + 2 }, (_, i) =>
      signInFrom(guesser, "agent@acme.test", `guess number ${i}`),
    );
    const statuses = await statusesOf(guesses);
    expect(statuses.filter((status) => status === 401)).toHaveLength(LIMITS.loginFailuresByUserAndIp.limit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(2);
    const refused = await signInFrom(guesser, "agent@acme.test", PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refused.json()).error.code).toBe("rate_limited");
    expect((await signInFrom("192.0.2.67", "agent@acme.test", PASSWORD)).status).toBe(200);
  });

  it("count failures only: signing in right gives the attempt back", async () => {
    const from = (password: string) => signInFrom("192.0.2.80", "owner@acme.test", password);
    const wrong = LIMITS.loginFailuresByUserAndIp.limit - 1;
    expect(await statusesOf(Array.from({ length: wrong }, () => from("a wrong guess")))).toEqual(
      Array(wrong).fill(401),
    );
    // One after another: each right one takes the last place in the budget until it gives it back.
    for (let i = 0; i < 3; i++) expect((await from(PASSWORD)).status).toBe(200);
    expect((await from("one more wrong guess")).status).toBe(401);
  });

  it("stop guessing from many addresses, but not the user at an address they signed in from", async () => {
    const limits = h.server.deps.limits;
    const perUser = limits.loginFailuresByUser;
    // A smaller budget across addresses than the real one, so the test reaches it in a few guesses.
    limits.loginFailuresByUser = memoryRateLimit({ ...LIMITS.loginFailuresByUser, limit: 3 }, Date.now);
    const guessesFrom = (network: string, email: string) =>
      statusesOf(addresses(network, 3).map((address) => signInFrom(address, email, "a wrong guess")));
    try {
      expect((await signInFrom("203.0.113.20", "agent@acme.test", PASSWORD)).status).toBe(200);
      expect(await guessesFrom("198.51.100", "agent@acme.test")).toEqual([401, 401, 401]);
      const stranger = await signInFrom("198.51.100.200", "agent@acme.test", PASSWORD);
      expect(stranger.status).toBe(429);
      expect(Number(stranger.headers.get("retry-after"))).toBeGreaterThan(0);
      // Refused the same way for an email that is no user: the refusal tells nothing of who exists.
      expect(await guessesFrom("198.51.101", "nobody@acme.test")).toEqual([401, 401, 401]);
      const nobody = await signInFrom("198.51.100.201", "nobody@acme.test", PASSWORD);
      expect(nobody.status).toBe(429);
      const shape = async (response: Response) => {
        const { error } = await response.json();
        return { ...error, message: error.message.replace(/\d+/g, "N") };
      };
      expect(await shape(nobody)).toEqual(await shape(stranger));
      // At their own address the password is checked as ever.
      expect((await signInFrom("203.0.113.20", "agent@acme.test", "a typo")).status).toBe(401);
      expect((await signInFrom("203.0.113.20", "agent@acme.test", PASSWORD)).status).toBe(200);
    } finally {
      limits.loginFailuresByUser = perUser;
    }
  });
});

// OWASP's cost, as every deployment has it (the other tests' servers hash at TEST_PASSWORD_COST);
// each sign-in costs a real scrypt (~0.4 s): a minute leaves room for a busy machine.
describe("password hashes", { timeout: 60_000 }, () => {
  let real: Harness;
  beforeAll(async () => {
    real = await startHarness({ TRUST_PROXY: "loopback" }, { passwordCost: SCRYPT_PARAMS });
  });
  afterAll(() => real.stop());

  /** A hash as Hatch made them before N=2^17: scrypt N=2^15, r=8, p=1. */
  function olderHash(password: string): string {
    const salt = randomBytes(16);
    const key = scryptSync(password.normalize("NFKC"), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    return ["scrypt", 2 ** 15, 8, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
  }

  it("made with N=2^17, r=8, p=1, and older ones of N=2^15 still sign in and are made anew", async () => {
    const { accounts, now } = real.server.deps;
    expect((await hashPassword(PASSWORD)).startsWith("scrypt$131072$8$1$")).toBe(true);
    await accounts.addUser("acme", "old@acme.test", olderHash(PASSWORD), "agent", now());
    expect((await signInFrom("203.0.113.30", "old@acme.test", "not the password", real)).status).toBe(401);
    expect((await accounts.findLogin("acme", "old@acme.test"))?.passwordHash).toMatch(/^scrypt\$32768\$/);
    expect((await signInFrom("203.0.113.30", "old@acme.test", PASSWORD, real)).status).toBe(200);
    expect((await accounts.findLogin("acme", "old@acme.test"))?.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect((await signInFrom("203.0.113.30", "old@acme.test", PASSWORD, real)).status).toBe(200);
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
