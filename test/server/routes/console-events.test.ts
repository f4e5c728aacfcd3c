// The console's event stream on a real server: order, resume with Last-Event-ID, isolation, sign-out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatRequest, startHarness, type ConsoleClient, type Harness, signInAll } from "../harness";
import { SseReader, type SseEvent } from "../sse";

type ConsoleEvent = { type: string; data: Record<string, unknown> };

const API = "/api/v1/console";

let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;
let rival: ConsoleClient;
const open: SseReader<ConsoleEvent>[] = [];

beforeAll(async () => {
  // A heartbeat of 50 ms: a feed notices its session ended within the test, not 15 s later.
  h = await startHarness({}, { seams: { heartbeatMs: 50 } });
  ({ owner, agent, rival } = await signInAll(h));
});
afterAll(async () => {
  await Promise.all(open.map((reader) => reader.close()));
  await h.stop();
});

async function stream(client: ConsoleClient, lastEventId?: string): Promise<SseReader<ConsoleEvent>> {
  const response = await client.fetch(`${API}/events`, {
    headers: lastEventId === undefined ? {} : { "last-event-id": lastEventId },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  // What applies to a stream that is never drawn as a page: its head is held as long as it is open.
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(response.headers.get("cross-origin-resource-policy")).toBe("same-origin");
  expect(response.headers.get("x-frame-options")).toBeNull();
  const reader = new SseReader<ConsoleEvent>(response);
  open.push(reader);
  return reader;
}

const request = (accountId = "acme", visitorIp?: string) =>
  chatRequest(h, { accountId, ...(visitorIp === undefined ? {} : { visitorIp }) });

const summary = (events: SseEvent<ConsoleEvent>[]) =>
  events.map((e) => [e.event, e.data.type, e.data.data.status ?? e.data.data.text ?? e.data.data.what]);

describe("console events", () => {
  it("streams a new request, its acceptance, the messages and the close, in order with increasing ids", async () => {
    const events = await stream(agent);
    const conversation = await request();
    await agent.fetch(`${API}/conversations/${conversation.id}/accept`, { method: "POST" });
    await agent.fetch(`${API}/conversations/${conversation.id}/messages`, { method: "POST", json: { text: "Hello!" } });
    await agent.fetch(`${API}/conversations/${conversation.id}/close`, { method: "POST" });

    const got = await events.take(4);
    expect(summary(got)).toEqual([
      ["conversation", "conversation", "pending"],
      ["conversation", "conversation", "active"],
      ["message", "message", "Hello!"],
      ["conversation", "conversation", "closed"],
    ]);
    expect(got.every((e) => e.data.data.id === conversation.id || e.data.data.conversationId === conversation.id)).toBe(
      true,
    );
    const ids = got.map((e) => Number(e.id));
    expect(ids.every((id, i) => Number.isInteger(id) && (i === 0 || id > ids[i - 1]!))).toBe(true);
  });

  it("resumes after Last-Event-ID with exactly the later events: none missing, none twice", async () => {
    const first = await stream(owner);
    const conversation = await request();
    await agent.fetch(`${API}/conversations/${conversation.id}/accept`, { method: "POST" });
    await agent.fetch(`${API}/conversations/${conversation.id}/messages`, { method: "POST", json: { text: "one" } });
    await agent.fetch(`${API}/conversations/${conversation.id}/messages`, { method: "POST", json: { text: "two" } });
    const all = await first.take(4);
    await first.close();

    const resumed = await stream(owner, all[0]!.id);
    const replayed = await resumed.take(3);
    expect(replayed.map((e) => e.id)).toEqual(all.slice(1).map((e) => e.id));
    expect(summary(replayed)).toEqual(summary(all.slice(1)));
    // Live events follow the replay without a gap or a repeat.
    await agent.fetch(`${API}/conversations/${conversation.id}/messages`, { method: "POST", json: { text: "three" } });
    const [, , , live] = await resumed.take(4);
    expect(live?.data.data.text).toBe("three");
    expect(Number(live?.id)).toBeGreaterThan(Number(all[3]!.id));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(resumed.events).toHaveLength(4);
  });

  it("starts a fresh stream at the newest event, and treats a garbage Last-Event-ID as none", async () => {
    await request();
    for (const lastEventId of [undefined, "not-a-number"]) {
      const events = await stream(agent, lastEventId);
      const conversation = await request();
      const [first] = await events.take(1);
      expect(first?.data.data.id).toBe(conversation.id);
      await events.close();
    }
  });

  it("tells about policy changes and a block made from a chat", async () => {
    const events = await stream(agent);
    const added = await owner.fetch(`${API}/ip-rules`, {
      method: "POST",
      json: { text: "192.0.2.0/24", comment: "test" },
    });
    expect(added.status).toBe(201);
    const conversation = await request("acme", "198.51.100.7");
    await agent.fetch(`${API}/conversations/${conversation.id}/block`, {
      method: "POST",
      json: { scope: "address", comment: "abuse" },
    });
    const got = await events.take(4);
    expect(summary(got)).toEqual([
      ["policy", "policy", "rules"],
      ["conversation", "conversation", "pending"],
      ["policy", "policy", "rules"],
      ["conversation", "conversation", "closed"],
    ]);
    expect(got[3]?.data.data.closedReason).toBe("blocked");
  });

  it("never sends one account's events to another account's stream", async () => {
    const rivalEvents = await stream(rival);
    const acmeEvents = await stream(agent);
    const conversation = await request("acme");
    await agent.fetch(`${API}/conversations/${conversation.id}/accept`, { method: "POST" });
    await owner.fetch(`${API}/ip-rules`, { method: "POST", json: { text: "100.64.7.7", comment: "" } });
    await acmeEvents.take(3);
    // A rival event afterwards is the first and only thing the rival's stream sees.
    const own = await request("rival");
    const [first] = await rivalEvents.take(1);
    expect(first?.data.data.id).toBe(own.id);
    expect(rivalEvents.events).toHaveLength(1);
    // Resuming from before acme's events does not reveal them either.
    const resumed = await stream(rival, "0");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(resumed.events.map((e) => e.data.data.id)).toEqual([own.id]);
  });

  it("ends the feed once its session is signed out", async () => {
    const leaving = await h.login("acme", "agent@acme.test");
    const reader = await stream(leaving);
    await leaving.fetch(`${API}/session`, { method: "DELETE" });
    await expect.poll(() => reader.events.some((e) => e.event === "unavailable"), { timeout: 2000 }).toBe(true);
  });

  it("is 401 without a session", async () => {
    const response = await fetch(`${h.url}${API}/events`);
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("signed_out");
  });
});

describe("a feed whose session the store cannot check", () => {
  it("is told to come back when the store fails under its heartbeat, and the process carries on", async () => {
    const failing = await startHarness({}, { seams: { heartbeatMs: 20 } });
    try {
      const client = await failing.login("acme", "agent@acme.test");
      const reader = new SseReader<ConsoleEvent>(await client.fetch(`${API}/events`));
      // The store gone, as a lost database or a shutdown leaves it: the next heartbeat's check fails.
      await failing.server.deps.db.destroy();
      await reader.ended;
      expect(reader.retryMs).toBe(1000);
    } finally {
      await failing.stop();
    }
  });
});
