// Two-factor sign-in: enrolment by a secret and its QR code, confirmed by a first code; sign-in asking
// for the code once the password is right; codes refused when wrong or reused; ten one-time backup
// codes; wrong codes limited as wrong passwords are; turning it off with a code. Codes are computed
// here, as a phone's app computes them, at the server's clock.
import { Secret, TOTP } from "otpauth";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
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
  const started = await client.fetch("/api/v1/console/me/two-factor", { method: "POST" });
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
    json: { code: codeFor(secret) },
  });
  expect(off.status).toBe(204);
}

describe("enrolment", () => {
  it("gives a secret, its otpauth link and QR code, and turns on only with the code the app shows", async () => {
    const agent = await h.login("acme", "agent@acme.test");
    const started = await agent.fetch("/api/v1/console/me/two-factor", { method: "POST" });
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

    const wrong = await agent.fetch("/api/v1/console/me/two-factor/confirm", {
      method: "POST",
      json: { code: codeFor(secret, 5) },
    });
    expect(wrong.status).toBe(400);
    expect((await errorOf(wrong)).fields?.code).toMatch(/not the one your app shows now/);
    expect((await (await agent.fetch("/api/v1/console/me")).json()).twoFactor).toEqual({
      enabled: false,
      backupCodesLeft: 0,
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
    });
    // Confirmed once: the QR code is gone, a second enrolment is refused until it is turned off.
    expect((await agent.fetch("/api/v1/console/me/two-factor/qr.svg")).status).toBe(404);
    const again = await agent.fetch("/api/v1/console/me/two-factor", { method: "POST" });
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
    expect((await errorOf(reused)).code).toBe("bad_code");
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

  it("counts a wrong code as a failed sign-in: ten from one address, and the right one is refused there too", async () => {
    const agent = await h.login("acme", "agent@acme.test");
    const { secret } = await enrol(agent);
    h.clock.skip(30_000);
    const right = codeFor(secret);
    const wrong = codeFor(secret, 4);
    for (let i = 0; i < 10; i++) expect((await signIn("agent@acme.test", wrong, "198.51.100.9")).status).toBe(401);
    const limited = await signIn("agent@acme.test", right, "198.51.100.9");
    expect(limited.status).toBe(429);
    // From the address the agent works at, the right code still signs them in.
    expect((await signIn("agent@acme.test", right, "192.0.2.10")).status).toBe(200);
    await turnOff(agent, secret);
  });
});

describe("turning it off", () => {
  it("needs a right code, and leaves the audit saying who turned it on and off", async () => {
    const agent = await h.login("acme", "agent@acme.test");
    const { secret } = await enrol(agent);
    const refused = await agent.fetch("/api/v1/console/me/two-factor", { method: "DELETE", json: { code: "000000" } });
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
