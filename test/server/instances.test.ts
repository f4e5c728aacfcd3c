// Two instances of one deployment on the same PostgreSQL and Redis, nothing else shared: sessions,
// tickets, events, blocks and limits hold across them as if they were one server.
import { solveChallenge } from "altcha-lib/v1";
import type { Challenge } from "altcha-lib/v1/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis } from "../../demo/services";
import { LIMITS } from "../../server/limits";
import { sweepRetention } from "../../server/retention";
import { readFixture } from "../fixtures/read";
import {
  askVerdict,
  editPolicy,
  startHarness,
  startInstance,
  visitorSession,
  type ConsoleClient,
  type Harness,
} from "./harness";
import { sharedServicesEnv } from "./shared-services";
import { readEvents, SseReader } from "./sse";

const SITE = "https://shop.example";
let a: Harness;
let b: Harness;
let ownerOnA: ConsoleClient;
let ownerOnB: ConsoleClient;

beforeAll(async () => {
  a = await startHarness({ ...(await sharedServicesEnv()), TRUST_PROXY: "loopback" });
  b = await startInstance(a.env);
  ownerOnA = await a.login("acme", "owner@acme.test");
  ownerOnB = await b.login("acme", "owner@acme.test");
});
afterAll(async () => {
  await b.stop();
  await a.stop();
});

/** The verdict as a visitor from `ip` gets it from one instance. */
async function shows(instance: Harness, ip: string): Promise<boolean> {
  return ((await (await askVerdict(instance, { ip })).json()) as { show: boolean }).show;
}

describe("two instances", () => {
  it("honour each other's sessions and tickets", async () => {
    const me = await fetch(`${b.url}/api/v1/console/me`, { headers: { cookie: ownerOnA.cookie } });
    expect(me.status).toBe(200);
    const visitor = await visitorSession(a, { forwardedFor: "198.51.100.20" });
    const onB = await fetch(`${b.url}/api/v1/widget/acme/conversations/${visitor.conversationId}/messages`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${visitor.ticket}`,
        "x-chat-secret": visitor.secret,
        origin: SITE,
        "x-forwarded-for": "198.51.100.20",
        "content-type": "application/json",
      },
      body: JSON.stringify({ text: "signed by A, read by B" }),
    });
    expect(onB.status).toBe(201);
  });

  it("carry a message sent through one to an event stream held by the other, and resume there with nothing lost or repeated", async () => {
    const visitor = await visitorSession(a, { forwardedFor: "198.51.100.21" });
    const feed = new SseReader<{ type: string; data: { text?: string } }>(
      await ownerOnB.fetch("/api/v1/console/events"),
    );
    await visitor.fetch(`/conversations/${visitor.conversationId}/messages`, {
      method: "POST",
      json: { text: "hello from A" },
      headers: { "x-forwarded-for": "198.51.100.21" },
    });
    const [event] = await feed.take(1, 1000);
    expect(event?.data.data.text).toBe("hello from A");
    await feed.close();

    const stream = (instance: Harness, lastEventId?: string) =>
      fetch(`${instance.url}/api/v1/widget/acme/conversations/${visitor.conversationId}/events`, {
        headers: {
          origin: SITE,
          authorization: `Bearer ${visitor.ticket}`,
          "x-chat-secret": visitor.secret,
          "x-forwarded-for": "198.51.100.21",
          ...(lastEventId ? { "last-event-id": lastEventId } : {}),
        },
      });
    const first = await readEvents(await stream(a), 2);
    await visitor.fetch(`/conversations/${visitor.conversationId}/messages`, {
      method: "POST",
      json: { text: "while away" },
      headers: { "x-forwarded-for": "198.51.100.21" },
    });
    const resumed = await readEvents<{ text?: string }>(await stream(b, first[1]?.id), 1);
    expect(resumed.map((e) => e.data.text)).toEqual(["while away"]);
    expect(Number(resumed[0]?.id)).toBeGreaterThan(Number(first[1]?.id));
  });

  it("let a block made on one govern the other's next verdict and end the visitor's stream there within a second", async () => {
    expect(await shows(b, "203.0.113.44")).toBe(true);
    const visitor = await visitorSession(b, { forwardedFor: "203.0.113.44" });
    const stream = new SseReader<unknown>(
      await fetch(`${b.url}/api/v1/widget/acme/conversations/${visitor.conversationId}/events`, {
        headers: {
          origin: SITE,
          authorization: `Bearer ${visitor.ticket}`,
          "x-chat-secret": visitor.secret,
          "x-forwarded-for": "203.0.113.44",
        },
      }),
    );
    const started = Date.now();
    expect(
      (
        await ownerOnA.fetch("/api/v1/console/ip-rules", {
          method: "POST",
          json: { text: "203.0.113.44", comment: "abuse" },
        })
      ).status,
    ).toBe(201);
    await expect.poll(() => shows(b, "203.0.113.44"), { timeout: 1000, interval: 20 }).toBe(false);
    await expect
      .poll(() => stream.events.some((e) => e.event === "unavailable"), { timeout: 1000, interval: 20 })
      .toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    await stream.close();
  });

  it("share presence: an agent choosing away on one is known to the other's verdict within a second", async () => {
    const agentOnA = await a.login("acme", "agent@acme.test");
    const feed = new SseReader(await agentOnA.fetch("/api/v1/console/events"));
    const awayOnB = async () => {
      const response = await fetch(`${b.url}/api/v1/widget/acme/verdict?page=${encodeURIComponent(`${SITE}/`)}`, {
        headers: { origin: SITE, "x-forwarded-for": "198.51.100.90" },
      });
      return ((await response.json()) as { config?: { away?: boolean } }).config?.away === true;
    };
    await expect.poll(awayOnB, { timeout: 1000, interval: 20 }).toBe(false);
    await agentOnA.fetch("/api/v1/console/presence", { method: "PUT", json: { status: "away" } });
    await ownerOnA.fetch("/api/v1/console/presence", { method: "PUT", json: { status: "away" } });
    await expect.poll(awayOnB, { timeout: 1000, interval: 20 }).toBe(true);
    await agentOnA.fetch("/api/v1/console/presence", { method: "PUT", json: { status: "online" } });
    await expect.poll(awayOnB, { timeout: 1000, interval: 20 }).toBe(false);
    await feed.close();
  });

  it("end a removed agent's console held on the other at once, and their sessions there", async () => {
    const added = await ownerOnA.fetch("/api/v1/console/users", {
      method: "POST",
      json: { email: "leaving@acme.test", password: "a password long enough", role: "agent" },
    });
    const { id } = (await added.json()) as { id: string };
    const leavingOnB = await b.login("acme", "leaving@acme.test");
    const feed = new SseReader(await leavingOnB.fetch("/api/v1/console/events"));
    expect((await ownerOnA.fetch(`/api/v1/console/users/${id}`, { method: "DELETE" })).status).toBe(204);
    // The heartbeat is 15 s: an end within two seconds is the removal's, told through Redis.
    await expect.poll(() => feed.events.some((e) => e.event === "unavailable"), { timeout: 2000 }).toBe(true);
    expect((await leavingOnB.fetch("/api/v1/console/me")).status).toBe(401);
    await feed.close();
  });

  it("end a user's other sessions from one, and an owner's end of a member's sessions, on the other at once", async () => {
    const onA = await a.login("acme", "agent@acme.test");
    const onB = await b.login("acme", "agent@acme.test");
    const feed = new SseReader(await onB.fetch("/api/v1/console/events"));
    await expect.poll(() => feed.response.status).toBe(200);
    const ended = await onA.fetch("/api/v1/console/me/sessions", { method: "DELETE" });
    expect(ended.status).toBe(200);
    await expect.poll(() => feed.events.some((e) => e.event === "unavailable"), { timeout: 2000 }).toBe(true);
    expect((await onB.fetch("/api/v1/console/me")).status).toBe(401);
    expect((await onA.fetch("/api/v1/console/me")).status).toBe(200);
    await feed.close();

    const again = await b.login("acme", "agent@acme.test");
    const agentFeed = new SseReader(await again.fetch("/api/v1/console/events"));
    await expect.poll(() => agentFeed.response.status).toBe(200);
    const { id } = (await (await again.fetch("/api/v1/console/me")).json()).user;
    expect((await ownerOnA.fetch(`/api/v1/console/users/${id}/sessions`, { method: "DELETE" })).status).toBe(200);
    await expect.poll(() => agentFeed.events.some((e) => e.event === "unavailable"), { timeout: 2000 }).toBe(true);
    expect((await again.fetch("/api/v1/console/me")).status).toBe(401);
    expect((await onA.fetch("/api/v1/console/me")).status).toBe(401);
    await agentFeed.close();
  });

  it("erase a visitor through one: the other's consoles drop the chats and it serves nothing of them", async () => {
    const visitor = await visitorSession(a, { forwardedFor: "198.51.100.45" });
    const uploaded = await visitor.fetch(`/conversations/${visitor.conversationId}/files`, {
      method: "POST",
      body: readFixture("fixture.png"),
      headers: { "x-file-name": "photo.png", "x-forwarded-for": "198.51.100.45" },
    });
    const fileId = (await uploaded.json()).file.id as string;
    const chat = `/api/v1/console/conversations/${visitor.conversationId}`;
    const { visitorId } = (await (await ownerOnB.fetch(chat)).json()).conversation;
    const feed = new SseReader(await ownerOnB.fetch("/api/v1/console/events"));
    await expect.poll(() => feed.response.status).toBe(200);
    expect((await ownerOnA.fetch(`/api/v1/console/visitors/${visitorId}`, { method: "DELETE" })).status).toBe(200);
    await expect
      .poll(() => feed.events.find((e) => e.event === "erased")?.data, { timeout: 2000 })
      .toEqual({ type: "erased", data: { conversationIds: [visitor.conversationId] } });
    await feed.close();
    expect((await ownerOnB.fetch(chat)).status).toBe(404);
    expect((await ownerOnB.fetch(`/api/v1/console/files/${fileId}`)).status).toBe(404);
  });

  it("let a policy saved on one govern the other", async () => {
    await editPolicy(ownerOnB, (doc) => {
      doc.countries = { mode: "allow", list: ["DE"], unknown: "hide" };
    });
    await expect.poll(() => shows(a, "198.51.100.60"), { timeout: 1000, interval: 20 }).toBe(false);
    await editPolicy(ownerOnA, (doc) => {
      doc.countries = { mode: "off", list: [] };
    });
    await expect.poll(() => shows(b, "198.51.100.60"), { timeout: 1000, interval: 20 }).toBe(true);
  });

  it("serve a file uploaded through one from the other, as any instance serves any file", async () => {
    const visitor = await visitorSession(a, { forwardedFor: "198.51.100.40" });
    const png = readFixture("fixture.png");
    const uploaded = await visitor.fetch(`/conversations/${visitor.conversationId}/files`, {
      method: "POST",
      body: png,
      headers: { "x-file-name": "photo.png", "x-forwarded-for": "198.51.100.40" },
    });
    expect(uploaded.status).toBe(201);
    const { messages } = await (await ownerOnB.fetch(`/api/v1/console/conversations/${visitor.conversationId}`)).json();
    const file = messages.at(-1).file;
    const served = await ownerOnB.fetch(`/api/v1/console/files/${file.id}`);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(png))).toBe(true);
  });

  it("count one limit for both: a flood split across them meets the same limit", async () => {
    // Automatic protection would ban the flood first; here the shared rate limit is what is pinned.
    await editPolicy(ownerOnA, (doc) => {
      doc.protection = { messagesPerMinute: 1000 };
    });
    const visitor = await visitorSession(a, { forwardedFor: "198.51.100.30" });
    const send = (instance: Harness, i: number) =>
      fetch(`${instance.url}/api/v1/widget/acme/conversations/${visitor.conversationId}/messages`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${visitor.ticket}`,
          "x-chat-secret": visitor.secret,
          origin: SITE,
          "x-forwarded-for": "198.51.100.30",
          "content-type": "application/json",
        },
        body: JSON.stringify({ text: `message ${i}` }),
      }).then((response) => response.status);
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.message.limit + 4; i++) statuses.push(await send(i % 2 === 0 ? a : b, i));
    expect(statuses.filter((status) => status === 201)).toHaveLength(LIMITS.message.limit);
    expect(statuses.slice(LIMITS.message.limit)).toEqual([429, 429, 429, 429]);
    await editPolicy(ownerOnA, (doc) => {
      delete doc.protection;
    });
  });

  it("count automatic protection once for both: chats opened through either add up to one ban", async () => {
    await editPolicy(ownerOnA, (doc) => {
      doc.protection = { chatsPerHour: 2 };
    });
    const opened: number[] = [];
    for (const instance of [a, b, a]) {
      const ticket = await fetch(`${instance.url}/api/v1/widget/acme/ticket?page=${encodeURIComponent(`${SITE}/`)}`, {
        headers: { origin: SITE, "x-forwarded-for": "198.51.100.70" },
      });
      const { ticket: signed } = (await ticket.json()) as { ticket?: string };
      if (!signed) {
        opened.push(403);
        continue;
      }
      const started = await fetch(`${instance.url}/api/v1/widget/acme/conversations`, {
        method: "POST",
        headers: { origin: SITE, "x-forwarded-for": "198.51.100.70", authorization: `Bearer ${signed}` },
      });
      opened.push(started.status);
    }
    expect(opened).toEqual([201, 201, 403]);
    // Three browsers share the address: the third is banned, and the address is challenged on both rather than banned.
    // B answered a ticket from that address before: it learns of the challenge from A's notice through Redis.
    const askB = async () => {
      const asked = await fetch(`${b.url}/api/v1/widget/acme/ticket?page=${encodeURIComponent(`${SITE}/`)}`, {
        headers: { origin: SITE, "x-forwarded-for": "198.51.100.70" },
      });
      return ((await asked.json()) as { error?: { code: string } }).error?.code;
    };
    await expect.poll(askB, { timeout: 2000 }).toBe("challenge_required");
    await editPolicy(ownerOnA, (doc) => {
      delete doc.protection;
    });
  });

  it("accept a proof-of-work solution once across both: a replay on the other instance is refused", async () => {
    await editPolicy(ownerOnA, (doc) => {
      doc.protection = { challengeEveryone: true, challengeDifficulty: 2000 };
    });
    const ask = (instance: Harness, solution?: string) =>
      fetch(
        `${instance.url}/api/v1/widget/acme/ticket?page=${encodeURIComponent(`${SITE}/`)}&visitor=v_replayreplayrepl${solution ? `&solution=${encodeURIComponent(solution)}` : ""}`,
        { headers: { origin: SITE, "x-forwarded-for": "198.51.100.71" } },
      );
    await expect.poll(async () => (await ask(b)).status, { timeout: 1000, interval: 20 }).toBe(403);
    const { challenge } = ((await (await ask(a)).json()) as { error: { challenge: Challenge } }).error;
    const solved = await solveChallenge(challenge.challenge, challenge.salt, "SHA-256", challenge.maxnumber).promise;
    const { algorithm, salt, signature } = challenge;
    const solution = Buffer.from(
      JSON.stringify({ algorithm, challenge: challenge.challenge, number: solved!.number, salt, signature }),
    ).toString("base64");
    expect((await ask(b, solution)).status).toBe(200);
    const replayed = await ask(a, solution);
    expect(replayed.status).toBe(403);
    expect(((await replayed.json()) as { error: { message: string } }).error.message).toMatch(/used already/);
    await editPolicy(ownerOnA, (doc) => {
      delete doc.protection;
    });
  });
});

describe("retention across instances", () => {
  it("removes each expired chat once when both sweep at the same time", async () => {
    await editPolicy(ownerOnA, (doc) => {
      doc.retention = { deleteClosedChatsAfterDays: 1 };
    });
    const ids: string[] = [];
    for (const n of [81, 82, 83]) {
      const visitor = await visitorSession(a, { forwardedFor: `198.51.100.${n}` });
      expect(
        (await ownerOnA.fetch(`/api/v1/console/conversations/${visitor.conversationId}/close`, { method: "POST" }))
          .status,
      ).toBe(200);
      ids.push(visitor.conversationId);
    }
    a.clock.skip(2 * 24 * 3600 * 1000);
    b.clock.skip(2 * 24 * 3600 * 1000);
    try {
      const runs = await Promise.all([sweepRetention(a.server.deps), sweepRetention(b.server.deps)]);
      expect(runs.reduce((sum, run) => sum + (run?.chats ?? 0), 0)).toBe(3);
      for (const id of ids) expect(await b.server.deps.conversations.get("acme", id)).toBeNull();
    } finally {
      a.clock.reset();
      b.clock.reset();
      await editPolicy(ownerOnA, (doc) => {
        delete doc.retention;
      });
    }
  });
});

describe("an instance whose Redis goes away", () => {
  it("says it is not ready and why, and still answers verdicts, its limits counted in memory meanwhile", async () => {
    const redis = await startRedis();
    const { DATABASE_URL } = await sharedServicesEnv();
    const alone = await startHarness({ DATABASE_URL, REDIS_URL: redis.url });
    try {
      expect((await fetch(`${alone.url}/readyz`)).status).toBe(200);
      await redis.stop();
      const ready = await fetch(`${alone.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ store: "up", redis: "down" });
      const verdict = await fetch(`${alone.url}/api/v1/widget/acme/verdict?page=${encodeURIComponent(`${SITE}/`)}`, {
        headers: { origin: SITE },
      });
      expect((await verdict.json()).show).toBe(true);
      // Sign-in's limit still holds, from memory: 10 failures in 15 minutes for one account, email and address.
      const attempts: number[] = [];
      for (let i = 0; i < LIMITS.loginFailuresByUserAndIp.limit + 1; i++) {
        const response = await fetch(`${alone.url}/api/v1/console/session`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: alone.origin },
          body: JSON.stringify({ account: "acme", email: "nobody@acme.test", password: "not the password" }),
        });
        attempts.push(response.status);
      }
      expect(attempts.slice(0, -1).every((status) => status === 401)).toBe(true);
      expect(attempts.at(-1)).toBe(429);
    } finally {
      await alone.stop();
    }
  });
});
