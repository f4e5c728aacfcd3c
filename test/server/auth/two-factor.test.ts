// Two-factor sign-in: enrolment by a secret and its QR code, confirmed by a first code; sign-in asking
// for the code once the password is right; codes refused when wrong or reused; ten one-time backup
// codes; wrong codes limited as wrong passwords are; turning it off with a code. Codes are computed
// here, as a phone's app computes them, at the server's clock.
import { Secret, TOTP } from "otpauth";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { PASSWORD, startHarness, type ConsoleClient, type Harness } from "../harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback" });
});
afterEach(() => h.clock.reset());
afterAll(() => h.stop());

/** The code an authenticator app with `secret` shows at the server's time, `steps` of 30 s from now. */
function codeFor(secret: string, steps = 0): string {
  const app = new TOTP({ secret: Secret.fromBase32(secret), period: 30 });
  return app.generate({ timestamp: h.clock.now() + steps * 30_000 });
}

/** A sign-in to acme as `email`, with a code or without, from `address`. */
function signIn(email: string, code?: string, address = "192.0.2.10"): Promise<Response> {
  return fetch(`${h.url}/api/v1/console/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: h.origin, "x-forwarded-for": address },
    body: JSON.stringify({ account: "acme", email, password: PASSWORD, ...(code === undefined ? {} : { code }) }),
  });
}

async function errorOf(
  response: Response,
): Promise<{ code: string; message: string; fields?: Record<string, string> }> {
  return (await response.json()).error;
}

/** Enrols `client` and confirms it with the first code; answers the secret and the backup codes. */
async function enrol(client: ConsoleClient): Promise<{ secret: string; backupCodes: string[] }> {
  const started = await client.fetch("/api/v1/console/me/two-factor", { method: "POST", json: { password: PASSWORD } });
  expect(started.status).toBe(200);
  const { secret } = await started.json();
  const confirmed = await client.fetch("/api/v1/console/me/two-factor/confirm", {
    method: "POST",
    json: { code: codeFor(secret) },
  });
  expect(confirmed.status).toBe(200);
  return { secret, backupCodes: (await confirmed.json()).backupCodes };
}

/** Turns two-factor off for `client`, with a code a step ahead (the enrolment's own step is used). */
async function turnOff(client: ConsoleClient, secret: string): Promise<void> {
  h.clock.skip(30_000);
  const off = await client.fetch("/api/v1/console/me/two-factor", {
    method: "DELETE",
    json: { code: codeFor(secret), password: PASSWORD },
  });
  expect(off.status).toBe(204);
}

describe("enrolment", () => {
  it("gives a secret, its otpauth link and QR code, and turns on only with the code the app shows", async () => {
    const agent = await h.login("acme", "agent@acme.test");
    // A stolen session alone cannot enrol a phone: the password is asked.
    const stolen = await agent.fetch("/api/v1/console/me/two-factor", {
      method: "POST",
      json: { password: "a guess at it" },
    });
    expect(stolen.status).toBe(400);
    expect((await errorOf(stolen)).fields?.password).toBe("That is not your current password.");
    const started = await agent.fetch("/api/v1/console/me/two-factor", {
      method: "POST",
      json: { password: PASSWORD },
    });
    expect(started.status).toBe(200);
    const { secret, otpauthUrl, qrSvg } = await started.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(otpauthUrl);
    expect(url.protocol).toBe("otpauth:");
    expect(url.host).toBe("totp");
    expect(decodeURIComponent(url.pathname)).toBe("/Hatch:acme:agent@acme.test");
    expect(url.searchParams.get("secret")).toBe(secret);
    expect(qrSvg).toMatch(/^<svg[^>]*>.*<\/svg>\s*$/s);
    expect(qrSvg).not.toMatch(/<script|on\w+=/i);
    // The console's <img> reads the same code from its own origin.
    const image = await agent.fetch("/api/v1/console/me/two-factor/qr.svg");
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/svg+xml");
    expect(image.headers.get("cache-control")).toBe("no-store");
    expect(await image.text()).toBe(qrSvg);
    // Another session of the same user can neither read the key being enrolled nor confirm it.
    const other = await h.login("acme", "agent@acme.test");
    expect((await other.fetch("/api/v1/console/me/two-factor/qr.svg")).status).toBe(404);
    const confirmedElsewhere = await other.fetch("/api/v1/console/me/two-factor/confirm", {
      method: "POST",
      json: { code: codeFor(secret) },
    });
    expect(confirmedElsewhere.status).toBe(409);

    const wrong = await agent.fetch("/api/v1/console/me/two-factor/confirm", {
      method: "POST",
      json: { code: codeFor(secret, 5) },
    });
    expect(wrong.status).toBe(400);
    expect((await errorOf(wrong)).fields?.code).toMatch(/not the one your app shows now/);
    expect((await (await agent.fetch("/api/v1/console/me")).json()).twoFactor).toEqual({
      enabled: false,
      backupCodesLeft: 0,
      required: false,
    });

    const confirmed = await agent.fetch("/api/v1/console/me/two-factor/confirm", {
      method: "POST",
      json: { code: codeFor(secret) },
    });
    expect(confirmed.status).toBe(200);
    const { backupCodes } = await confirmed.json();
    expect(backupCodes).toHaveLength(10);
    expect(new Set(backupCodes).size).toBe(10);
    for (const code of backupCodes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect((await (await agent.fetch("/api/v1/console/me")).json()).twoFactor).toEqual({
      enabled: true,
      backupCodesLeft: 10,
      required: false,
    });
    // Confirmed once: the QR code is gone, a second enrolment is refused until it is turned off.
    expect((await agent.fetch("/api/v1/console/me/two-factor/qr.svg")).status).toBe(404);
    // The other session, perhaps opened with a stolen password, ended with it.
    expect((await other.fetch("/api/v1/console/me")).status).toBe(401);
    const again = await agent.fetch("/api/v1/console/me/two-factor", { method: "POST", json: { password: PASSWORD } });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe("two_factor_on");
    await turnOff(agent, secret);
  });

  it("refuses a confirmation with no enrolment under way, and codes that are not codes", async () => {
    const owner = await h.login("rival", "owner@rival.test");
    const none = await owner.fetch("/api/v1/console/me/two-factor/confirm", {
      method: "POST",
      json: { code: "123456" },
    });
    expect(none.status).toBe(409);
    expect((await errorOf(none)).code).toBe("no_enrolment");
    for (const code of ["x".repeat(21), 123456, null]) {
      const bad = await owner.fetch("/api/v1/console/me/two-factor/confirm", { method: "POST", json: { code } });
      expect(bad.status, String(code)).toBe(400);
      expect((await errorOf(bad)).message).toMatch(/six digits your app shows, or one of your backup codes/);
    }
  });
});

describe("sign-in with two-factor on", () => {
  it("asks for the code once the password is right, and takes each code once", async () => {
    const agent = await h.login("acme", "agent@acme.test");
    const { secret } = await enrol(agent);

    const asked = await signIn("agent@acme.test");
    expect(asked.status).toBe(401);
    expect((await errorOf(asked)).code).toBe("two_factor_required");
    expect(asked.headers.get("set-cookie")).toBeNull();
    // A wrong password still says only that, code or not: the code is asked for after it.
    const wrongPassword = await fetch(`${h.url}/api/v1/console/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: h.origin },
      body: JSON.stringify({ account: "acme", email: "agent@acme.test", password: "not the password", code: "000000" }),
    });
    expect((await errorOf(wrongPassword)).code).toBe("bad_credentials");

    // The enrolment's own code was used for its step.
    const reused = await signIn("agent@acme.test", codeFor(secret));
    expect(reused.status).toBe(401);
    // A user who just enrolled is looking at that code: told to wait for the next.
    expect(await errorOf(reused)).toMatchObject({
      code: "bad_code",
      message: expect.stringMatching(/wait for the next one/),
    });
    h.clock.skip(30_000);
    const wrong = await signIn("agent@acme.test", codeFor(secret, 3));
    expect((await errorOf(wrong)).code).toBe("bad_code");
    const signedIn = await signIn("agent@acme.test", codeFor(secret));
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get("set-cookie")).toMatch(/hatch_session=/);
    expect((await signIn("agent@acme.test", codeFor(secret))).status).toBe(401);
    // A code of the step before is refused too once a later one was used (the window is one step either side).
    expect((await signIn("agent@acme.test", codeFor(secret, -1))).status).toBe(401);
    await turnOff(agent, secret);
    expect((await signIn("agent@acme.test")).status).toBe(200);
  });

  it("takes each backup code once, typed with or without its dash, in any case", async () => {
    const agent = await h.login("acme", "agent@acme.test");
    const { secret, backupCodes } = await enrol(agent);
    const [first, second] = backupCodes as [string, string];
    expect((await signIn("agent@acme.test", first.toUpperCase().replace("-", ""))).status).toBe(200);
    expect((await signIn("agent@acme.test", first)).status).toBe(401);
    expect((await signIn("agent@acme.test", ` ${second} `)).status).toBe(200);
    expect((await (await agent.fetch("/api/v1/console/me")).json()).twoFactor.backupCodesLeft).toBe(8);
    await turnOff(agent, secret);
  });

  it("takes ten wrong codes an hour from any addresses, after which even the right one waits; a right one gives its try back", async () => {
    // A user of its own: the budget is per user, and the other tests spend the agent's.
    await h.server.deps.accounts.addUser("acme", "codes@acme.test", inject("passwordHash"), "agent", h.clock.now());
    const { secret } = await enrol(await h.login("acme", "codes@acme.test"));
    h.clock.skip(30_000);
    const wrong = codeFor(secret, 4);
    for (let i = 0; i < 9; i++)
      expect((await signIn("codes@acme.test", wrong, `198.51.100.${i + 1}`)).status).toBe(401);
    // A right code gives its try back: still one wrong code to go.
    expect((await signIn("codes@acme.test", codeFor(secret))).status).toBe(200);
    expect((await signIn("codes@acme.test", wrong, "203.0.113.5")).status).toBe(401);
    h.clock.skip(30_000);
    const limited = await signIn("codes@acme.test", codeFor(secret), "192.0.2.10");
    expect(limited.status).toBe(429);
    // The budget is that user's: a co-worker's right code from the same address signs them in. (A window
    // passing is the rate limits' own conformance suite's to pin, on memory and Redis alike.)
    expect((await signIn("owner@acme.test", undefined, "192.0.2.10")).status).toBe(200);
  });
});

describe("turning it off", () => {
  it("needs a right code, and leaves the audit saying who turned it on and off", async () => {
    const agent = await h.login("acme", "agent@acme.test");
    const { secret } = await enrol(agent);
    h.clock.skip(30_000);
    const withoutPassword = await agent.fetch("/api/v1/console/me/two-factor", {
      method: "DELETE",
      json: { code: codeFor(secret), password: "a guess at it" },
    });
    expect((await errorOf(withoutPassword)).fields?.password).toBe("That is not your current password.");
    const refused = await agent.fetch("/api/v1/console/me/two-factor", {
      method: "DELETE",
      json: { code: "000000", password: PASSWORD },
    });
    expect(refused.status).toBe(400);
    expect((await errorOf(refused)).fields?.code).toBeTruthy();
    expect((await (await agent.fetch("/api/v1/console/me")).json()).twoFactor.enabled).toBe(true);
    await turnOff(agent, secret);
    expect((await (await agent.fetch("/api/v1/console/me")).json()).twoFactor.enabled).toBe(false);
    const owner = await h.login("acme", "owner@acme.test");
    const { entries } = await (await owner.fetch("/api/v1/console/audit")).json();
    const actions = entries
      .filter((entry: { action: string }) => entry.action.startsWith("user.two_factor"))
      .map((entry: { action: string; detail: { email: string } }) => `${entry.action} ${entry.detail.email}`);
    expect(actions.slice(0, 2)).toEqual(["user.two_factor_off agent@acme.test", "user.two_factor_on agent@acme.test"]);
  });
});

describe("required of the team", () => {
  it("is required only by an owner who has it, and then leaves a member without it nothing but enrolment", async () => {
    const owner = await h.login("acme", "owner@acme.test");
    const agent = await h.login("acme", "agent@acme.test");
    const require = (client: ConsoleClient, body: unknown) =>
      client.fetch("/api/v1/console/account", { method: "PATCH", json: body });

    const withoutIt = await require(owner, { requireTwoFactor: true });
    expect(withoutIt.status).toBe(409);
    expect((await errorOf(withoutIt)).message).toMatch(/Turn on two-factor sign-in for yourself first/);
    expect((await require(agent, { requireTwoFactor: true })).status).toBe(403);
    for (const body of [{ requireTwoFactor: "yes" }, {}, { requireTwoFactor: true, more: 1 }])
      expect((await require(owner, body)).status, JSON.stringify(body)).toBe(400);
    expect(await (await agent.fetch("/api/v1/console/replies")).status).toBe(200);

    const ownersPhone = await enrol(owner);
    const required = await require(owner, { requireTwoFactor: true });
    expect(required.status).toBe(200);
    expect(await required.json()).toEqual({ requireTwoFactor: true });

    // The agent's open session: every route but enrolment (and /me, which says why) is refused, the feed too.
    for (const path of ["/api/v1/console/replies", "/api/v1/console/policy", "/api/v1/console/events"]) {
      const refused = await agent.fetch(path);
      expect(refused.status, path).toBe(403);
      expect((await errorOf(refused)).code, path).toBe("two_factor_enrolment_required");
    }
    expect((await (await agent.fetch("/api/v1/console/me")).json()).twoFactor).toEqual({
      enabled: false,
      backupCodesLeft: 0,
      required: true,
    });
    const agentsPhone = await enrol(agent);
    expect((await agent.fetch("/api/v1/console/replies")).status).toBe(200);
    // Nor may they turn it off while it is required.
    h.clock.skip(30_000);
    const off = await agent.fetch("/api/v1/console/me/two-factor", {
      method: "DELETE",
      json: { code: codeFor(agentsPhone.secret), password: PASSWORD },
    });
    expect(off.status).toBe(409);
    expect((await errorOf(off)).code).toBe("two_factor_required_by_account");

    expect((await require(owner, { requireTwoFactor: false })).status).toBe(200);
    const { entries } = await (await owner.fetch("/api/v1/console/audit")).json();
    expect(
      entries
        .filter((entry: { action: string }) => entry.action === "account.two_factor")
        .map((entry: { detail: { required: boolean } }) => entry.detail.required),
    ).toEqual([false, true]);
    await turnOff(agent, agentsPhone.secret);
    await turnOff(owner, ownersPhone.secret);
  });
});

describe("a removed member", () => {
  it("comes back, if added again, without the phone they had enrolled", async () => {
    const { accounts } = h.server.deps;
    await accounts.addUser("acme", "temp@acme.test", inject("passwordHash"), "agent", h.clock.now());
    const temp = await h.login("acme", "temp@acme.test");
    await enrol(temp);
    const owner = await h.login("acme", "owner@acme.test");
    const user = (await accounts.findLogin("acme", "temp@acme.test"))!;
    expect((await owner.fetch(`/api/v1/console/users/${user.id}`, { method: "DELETE" })).status).toBe(204);
    await accounts.addUser("acme", "temp@acme.test", inject("passwordHash"), "agent", h.clock.now());
    expect((await signIn("temp@acme.test")).status).toBe(200);
    expect((await h.server.deps.twoFactor.status(user)).enabled).toBe(false);
  });
});
