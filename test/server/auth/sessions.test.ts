// Where a user is signed in: each session's device, address and last use; a user ends one or all of
// their others, an owner all of a member's (audited); an ended session's open feed closes at once; no
// one sees or ends another user's sessions.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { deviceOf } from "../../../server/routes/sessions";
import { PASSWORD, startHarness, type ConsoleClient, type Harness } from "../harness";
import { SseReader } from "../sse";

const CHROME_LINUX =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback" });
});
afterEach(() => h.clock.reset());
afterAll(() => h.stop());

interface Listed {
  id: string;
  current: boolean;
  device: string | null;
  userAgent: string | null;
  address: string | null;
  lastSeen: number;
}

/** Signs `email` of `account` in over HTTP with a browser's User-Agent from `address`. */
async function signInFrom(account: string, email: string, userAgent: string, address: string): Promise<ConsoleClient> {
  const response = await fetch(`${h.url}/api/v1/console/session`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: h.origin,
      "user-agent": userAgent,
      "x-forwarded-for": address,
    },
    body: JSON.stringify({ account, email, password: PASSWORD }),
  });
  expect(response.status).toBe(200);
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0]!;
  return {
    cookie,
    fetch: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set("cookie", cookie);
      headers.set("origin", h.origin);
      if (init.json !== undefined) headers.set("content-type", "application/json");
      const body = init.json === undefined ? init.body : JSON.stringify(init.json);
      return fetch(`${h.url}${path}`, { ...init, headers, body });
    },
  };
}

async function listed(client: ConsoleClient): Promise<Listed[]> {
  const answer = await client.fetch("/api/v1/console/me/sessions");
  expect(answer.status).toBe(200);
  return answer.json();
}

const meStatus = async (client: ConsoleClient) => (await client.fetch("/api/v1/console/me")).status;

describe("a user's sessions", () => {
  it("lists each with its device, address and last use, this one marked, and none of anyone else's", async () => {
    const desk = await signInFrom("acme", "agent@acme.test", CHROME_LINUX, "192.0.2.40");
    const phone = await signInFrom("acme", "agent@acme.test", SAFARI_IPHONE, "2001:db8:1:2::9");
    await signInFrom("acme", "owner@acme.test", CHROME_LINUX, "192.0.2.41");
    const sessions = (await listed(desk)).filter((s) => s.userAgent !== null);
    expect(
      sessions
        .map(({ current, device, address }) => ({ current, device, address }))
        .sort((a, b) => Number(b.current) - Number(a.current)),
    ).toEqual([
      { current: true, device: "Chrome on Linux", address: "192.0.2.40" },
      { current: false, device: "Safari on iOS", address: "2001:db8:1:2::/64" },
    ]);
    expect((await listed(phone)).find((s) => s.current)?.device).toBe("Safari on iOS");
    await desk.fetch("/api/v1/console/me/sessions", { method: "DELETE" });
  });

  it("keeps the last use to the minute: a minute on, a request moves it", async () => {
    const desk = await signInFrom("acme", "agent@acme.test", CHROME_LINUX, "192.0.2.42");
    const before = (await listed(desk)).find((s) => s.current)!.lastSeen;
    h.clock.skip(30_000);
    expect((await listed(desk)).find((s) => s.current)!.lastSeen).toBe(before);
    h.clock.skip(31_000);
    await listed(desk);
    expect((await listed(desk)).find((s) => s.current)!.lastSeen).toBeGreaterThanOrEqual(before + 61_000);
    await desk.fetch("/api/v1/console/me/sessions", { method: "DELETE" });
  });

  it("ends another of one's own sessions, and its open feed at once", async () => {
    const desk = await signInFrom("acme", "agent@acme.test", CHROME_LINUX, "192.0.2.43");
    const phone = await signInFrom("acme", "agent@acme.test", SAFARI_IPHONE, "192.0.2.44");
    const feed = new SseReader(await phone.fetch("/api/v1/console/events"));
    await expect.poll(() => feed.response.status).toBe(200);
    const other = (await listed(desk)).find((s) => s.device === "Safari on iOS")!;
    expect((await desk.fetch(`/api/v1/console/me/sessions/${other.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await meStatus(phone)).toBe(401);
    expect(await meStatus(desk)).toBe(200);
    // The heartbeat is 15 s: an end within a few seconds is the ending's doing.
    await expect.poll(() => feed.events.some((e) => e.event === "unavailable"), { timeout: 5000 }).toBe(true);
    await feed.close();
    const again = await desk.fetch(`/api/v1/console/me/sessions/${other.id}`, { method: "DELETE" });
    expect(again.status).toBe(404);
    await desk.fetch("/api/v1/console/me/sessions", { method: "DELETE" });
  });

  it("ends all the others at once, keeping this one", async () => {
    const desk = await signInFrom("acme", "agent@acme.test", CHROME_LINUX, "192.0.2.45");
    const others = [
      await signInFrom("acme", "agent@acme.test", SAFARI_IPHONE, "192.0.2.46"),
      await signInFrom("acme", "agent@acme.test", SAFARI_IPHONE, "192.0.2.47"),
    ];
    const answer = await desk.fetch("/api/v1/console/me/sessions", { method: "DELETE" });
    expect(answer.status).toBe(200);
    expect((await answer.json()).ended).toBeGreaterThanOrEqual(2);
    for (const other of others) expect(await meStatus(other)).toBe(401);
    expect((await listed(desk)).map((s) => s.current)).toEqual([true]);
  });

  it("cannot end another user's session, even knowing its id", async () => {
    const agent = await signInFrom("acme", "agent@acme.test", CHROME_LINUX, "192.0.2.48");
    const rival = await signInFrom("rival", "owner@rival.test", CHROME_LINUX, "192.0.2.49");
    const agentsId = (await listed(agent)).find((s) => s.current)!.id;
    expect((await rival.fetch(`/api/v1/console/me/sessions/${agentsId}`, { method: "DELETE" })).status).toBe(404);
    expect(await meStatus(agent)).toBe(200);
  });
});

describe("an owner", () => {
  it("ends every session of a member, audited; an agent may not, nor another account's owner", async () => {
    const owner = await signInFrom("acme", "owner@acme.test", CHROME_LINUX, "192.0.2.50");
    const agent = await signInFrom("acme", "agent@acme.test", CHROME_LINUX, "192.0.2.51");
    const rival = await signInFrom("rival", "owner@rival.test", CHROME_LINUX, "192.0.2.52");
    const { user } = await (await agent.fetch("/api/v1/console/me")).json();
    const ownerId = (await (await owner.fetch("/api/v1/console/me")).json()).user.id;
    expect((await agent.fetch(`/api/v1/console/users/${ownerId}/sessions`, { method: "DELETE" })).status).toBe(403);
    expect((await rival.fetch(`/api/v1/console/users/${user.id}/sessions`, { method: "DELETE" })).status).toBe(404);
    expect(await meStatus(agent)).toBe(200);

    const ended = await owner.fetch(`/api/v1/console/users/${user.id}/sessions`, { method: "DELETE" });
    expect(ended.status).toBe(200);
    expect((await ended.json()).ended).toBeGreaterThanOrEqual(1);
    expect(await meStatus(agent)).toBe(401);
    const { entries } = await (await owner.fetch("/api/v1/console/audit")).json();
    expect(entries[0]).toMatchObject({ action: "user.sessions_end", detail: { email: "agent@acme.test" } });
  });
});

describe("the device named", () => {
  it.each([
    [CHROME_LINUX, "Chrome on Linux"],
    [SAFARI_IPHONE, "Safari on iOS"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on Windows"],
    ["curl/8.5.0", null],
    [null, null],
  ])("from %s is %s", (userAgent, device) => {
    expect(deviceOf(userAgent)).toBe(device);
  });
});
