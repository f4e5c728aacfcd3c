// The proof-of-work gate on a real server: a challenged visitor still sees the chat, but the ticket
// route asks for an ALTCHA proof of work first; a solution buys one ticket, for its account, visitor
// and address only, before it expires; forged, replayed and foreign solutions are refused.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { solveChallenge } from "altcha-lib/v1";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../../server/ids";
import { CHALLENGE_MS } from "../../../server/protection/challenges";
import type { Challenge } from "../../../widget/api";
import { editPolicy, signInAll, startHarness, type ConsoleClient, type Harness } from "../harness";
import { solve } from "../proof-of-work";

const SITE = "https://shop.example";
/** An address of AS16509 (Amazon) in the bundled ASN data, and one on the test's Tor list. */
const AMAZON_IP = "1.44.96.7";
const TOR_EXIT = "198.51.100.200";
/** Solved in a few milliseconds, so the tests stay fast; the default is measured in bench/challenge.ts. */
const EASY = 2_000;

const torDir = mkdtempSync(join(tmpdir(), "hatch-tor-"));
const torList = join(torDir, "exits.txt");
writeFileSync(torList, `${TOR_EXIT}\n`);

let h: Harness;
let owner: ConsoleClient;

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback", TOR_EXIT_LIST: torList });
  ({ owner } = await signInAll(h));
  await editPolicy(owner, (doc) => {
    doc.protection = { challengeEveryone: true, challengeDifficulty: EASY };
  });
});
afterAll(async () => {
  await h.stop();
  rmSync(torDir, { recursive: true, force: true });
});
beforeEach(() => {
  h.clock.reset();
});

/** The ticket route as the widget calls it, from `ip`, with the visitor id and solution given. */
async function askTicket(ip: string, { visitor, solution }: { visitor?: string; solution?: string } = {}) {
  let query = `page=${encodeURIComponent(`${SITE}/`)}`;
  if (visitor) query += `&visitor=${visitor}`;
  if (solution) query += `&solution=${encodeURIComponent(solution)}`;
  const response = await fetch(`${h.url}/api/v1/widget/acme/ticket?${query}`, {
    headers: { origin: SITE, "x-forwarded-for": ip },
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      show?: boolean;
      ticket?: string;
      config?: { visitor: string };
      error?: { code: string; message: string; challenge: Challenge };
    },
  };
}

/** A challenge for a visitor at `ip`, and its solution. */
async function solved(ip: string, visitor: string) {
  const asked = await askTicket(ip, { visitor });
  expect(asked.status).toBe(403);
  return { challenge: asked.body.error!.challenge, solution: await solve(asked.body.error!.challenge) };
}

describe("a challenged visitor", () => {
  it("still sees the chat: the verdict shows it", async () => {
    const response = await fetch(`${h.url}/api/v1/widget/acme/verdict?page=${encodeURIComponent(`${SITE}/`)}`, {
      headers: { origin: SITE, "x-forwarded-for": "198.51.100.50" },
    });
    expect(((await response.json()) as { show: boolean }).show).toBe(true);
  });

  it("is asked for a proof of work bound to the account, its visitor id and its address, signed and expiring", async () => {
    const visitor = newId("v");
    const asked = await askTicket("198.51.100.51", { visitor });
    expect(asked.status).toBe(403);
    expect(asked.body.error?.code).toBe("challenge_required");
    const { challenge } = asked.body.error!;
    expect(challenge).toMatchObject({ algorithm: "SHA-256", maxnumber: EASY });
    expect(challenge.challenge).toMatch(/^[0-9a-f]{64}$/);
    expect(challenge.signature).toMatch(/^[0-9a-f]{64}$/);
    const params = new URLSearchParams(challenge.salt.split("?")[1]);
    expect(params.get("account")).toBe("acme");
    expect(params.get("visitor")).toBe(visitor);
    expect(params.get("ip")).toBe("198.51.100.51");
    expect(Number(params.get("until")) - Date.now()).toBeGreaterThan(CHALLENGE_MS - 60_000);
  });

  it("gets a ticket for a solution, and can chat with it", async () => {
    const visitor = newId("v");
    const { solution } = await solved("198.51.100.52", visitor);
    const answered = await askTicket("198.51.100.52", { visitor, solution });
    expect(answered.status).toBe(200);
    expect(answered.body.config?.visitor).toBe(visitor);
    const started = await fetch(`${h.url}/api/v1/widget/acme/conversations`, {
      method: "POST",
      headers: { origin: SITE, "x-forwarded-for": "198.51.100.52", authorization: `Bearer ${answered.body.ticket}` },
    });
    expect(started.status).toBe(201);
  });

  it("gets a ticket for the payload ALTCHA's own widget sends, with its `took` and `test` fields", async () => {
    const visitor = newId("v");
    const asked = await askTicket("198.51.100.54", { visitor });
    const challenge = asked.body.error!.challenge;
    // As altcha's createAltchaPayload builds it: `test` is left out by JSON.stringify unless in test mode.
    const solution = await solve(challenge, undefined, { test: undefined, took: 1234 });
    expect(JSON.parse(Buffer.from(solution, "base64").toString())).toHaveProperty("took", 1234);
    const answered = await askTicket("198.51.100.54", { visitor, solution });
    expect(answered.status).toBe(200);
    expect(answered.body.config?.visitor).toBe(visitor);
  });

  it("gets a ticket for a payload with a field Hatch does not know, which it ignores", async () => {
    const visitor = newId("v");
    const asked = await askTicket("198.51.100.55", { visitor });
    const solution = await solve(asked.body.error!.challenge, undefined, { took: 87, worker: true, test: false });
    expect((await askTicket("198.51.100.55", { visitor, solution })).status).toBe(200);
  });

  it("without a visitor id yet, gets one in the challenge and the ticket for it", async () => {
    const asked = await askTicket("198.51.100.53");
    const challenge = asked.body.error!.challenge;
    const visitor = new URLSearchParams(challenge.salt.split("?")[1]).get("visitor");
    expect(visitor).toMatch(/^v_[A-Za-z0-9_-]{16}$/);
    const answered = await askTicket("198.51.100.53", { solution: await solve(challenge) });
    expect(answered.body.config?.visitor).toBe(visitor);
  });
});

describe("a refused solution", () => {
  const refused = async (ip: string, options: { visitor?: string; solution: string }, message: RegExp) => {
    const answered = await askTicket(ip, options);
    expect(answered.status).toBe(403);
    expect(answered.body.ticket).toBeUndefined();
    expect(answered.body.error?.code).toBe("challenge_required");
    expect(answered.body.error?.message).toMatch(message);
    // A fresh challenge comes with it, so the widget can try once more.
    expect(answered.body.error?.challenge.signature).toMatch(/^[0-9a-f]{64}$/);
  };

  it("is refused when replayed, the second time", async () => {
    const visitor = newId("v");
    const { solution } = await solved("198.51.100.60", visitor);
    expect((await askTicket("198.51.100.60", { visitor, solution })).status).toBe(200);
    await refused("198.51.100.60", { visitor, solution }, /used already/);
  });

  it("is refused for another visitor id", async () => {
    const { solution } = await solved("198.51.100.61", newId("v"));
    await refused("198.51.100.61", { visitor: newId("v"), solution }, /not valid/);
  });

  it("is refused from another address", async () => {
    const visitor = newId("v");
    const { solution } = await solved("198.51.100.62", visitor);
    await refused("198.51.100.63", { visitor, solution }, /not valid/);
  });

  it("is refused once the challenge has expired", async () => {
    const visitor = newId("v");
    const { solution } = await solved("198.51.100.64", visitor);
    h.clock.skip(CHALLENGE_MS + 1000);
    await refused("198.51.100.64", { visitor, solution }, /expired/);
  });

  it.each([
    ["a wrong number", (c: Challenge) => solve(c, c.maxnumber + 1)],
    [
      "the right number under a salt naming another address",
      async (c: Challenge) => {
        const number = (await solveChallenge(c.challenge, c.salt, "SHA-256", c.maxnumber).promise)!.number;
        return solve({ ...c, salt: c.salt.replace("ip=198.51.100.65", "ip=198.51.100.66") }, number);
      },
    ],
    ["a made-up signature", async (c: Challenge) => solve({ ...c, signature: "0".repeat(64) })],
    [
      "another algorithm",
      async (c: Challenge) => Buffer.from(JSON.stringify({ ...c, algorithm: "SHA-1", number: 1 })).toString("base64"),
    ],
    [
      "a made-up signature, with ALTCHA's `took`",
      async (c: Challenge) => solve({ ...c, signature: "0".repeat(64) }, undefined, { took: 12 }),
    ],
    ["a wrong number, with ALTCHA's `took`", (c: Challenge) => solve(c, c.maxnumber + 1, { took: 12 })],
    ["text that is not base64 JSON", async () => "bm90IGpzb24="],
    ["a payload far too long", async () => "A".repeat(5000)],
    [
      "a right solution padded with an unknown field past the size limit",
      (c: Challenge) => solve(c, undefined, { took: 12, padding: "x".repeat(1000) }),
    ],
    ["a JSON array", async () => Buffer.from("[1,2,3]").toString("base64")],
  ])("is refused when forged: %s", async (_name, forge) => {
    const visitor = newId("v");
    const asked = await askTicket("198.51.100.65", { visitor });
    await refused("198.51.100.65", { visitor, solution: await forge(asked.body.error!.challenge) }, /not valid/);
  });

  it("made for another account is refused", async () => {
    const rivalChallenge = await h.server.deps.challenges.make(
      { account: "rival", visitor: "v_rivalrivalrivalr", ip: "198.51.100.67" },
      EASY,
      Date.now(),
    );
    await refused(
      "198.51.100.67",
      { visitor: "v_rivalrivalrivalr", solution: await solve(rivalChallenge as Challenge) },
      /not valid/,
    );
  });
});

describe("network switches in the challenge mode", () => {
  it("challenge hosting networks and Tor exits, and no one else, and say so in Test a visitor", async () => {
    await editPolicy(owner, (doc) => {
      doc.protection = { challengeEveryone: false, challengeDifficulty: EASY };
      doc.networks = { hosting: "challenge", tor: "challenge" };
    });
    expect((await askTicket(AMAZON_IP)).body.error?.code).toBe("challenge_required");
    expect((await askTicket(TOR_EXIT)).body.error?.code).toBe("challenge_required");
    expect((await askTicket("192.0.2.70")).status).toBe(200);

    const preview = await owner.fetch("/api/v1/console/preview", {
      method: "POST",
      json: { ip: AMAZON_IP, page: `${SITE}/` },
    });
    const verdict = await preview.json();
    expect(verdict).toMatchObject({ show: true, challenged: true });
    expect(verdict.reasons.find((r: { check: string }) => r.check === "hosting")).toMatchObject({
      hides: false,
      challenges: true,
    });
    await editPolicy(owner, (doc) => {
      doc.protection = { challengeEveryone: true, challengeDifficulty: EASY };
      doc.networks = { hosting: "off", tor: "off" };
    });
  });
});
