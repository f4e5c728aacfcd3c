// The visitor's event stream: replay, resume after a drop with nothing lost or repeated, expiry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, visitorSession, type Harness } from "../harness";
import { readEvents, SseReader } from "../sse";

const SITE = "https://shop.example";
let h: Harness;
let ticket: string;
let conversationId: string;
let secret: string;

/** The visitor's stream, as the widget reads it: ticket and chat secret in headers, `?after=` the only query. */
function events(headers: Record<string, string> = {}, query = "") {
  return fetch(`${h.url}/api/v1/widget/acme/conversations/${conversationId}/events${query}`, {
    headers: { origin: SITE, authorization: `Bearer ${ticket}`, "x-chat-secret": secret, ...headers },
  });
}

async function send(text: string) {
  const response = await fetch(`${h.url}/api/v1/widget/acme/conversations/${conversationId}/messages`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${ticket}`,
      "x-chat-secret": secret,
      origin: SITE,
      "content-type": "application/json",
    },
    body: JSON.stringify({ text }),
  });
  expect(response.status).toBe(201);
}

beforeAll(async () => {
  // A heartbeat of 50 ms: a stream notices its ticket expired within the test, not 15 s later.
  h = await startHarness({}, { seams: { heartbeatMs: 50 } });
  ticket = (
    await (
      await fetch(`${h.url}/api/v1/widget/acme/ticket?page=${encodeURIComponent(SITE + "/")}`, {
        headers: { origin: SITE },
      })
    ).json()
  ).ticket;
  ({
    conversation: { id: conversationId },
    secret,
  } = await (
    await fetch(`${h.url}/api/v1/widget/acme/conversations`, {
      method: "POST",
      headers: { authorization: `Bearer ${ticket}`, origin: SITE },
    })
  ).json());
});
afterAll(() => h.stop());

describe("the visitor's event stream", () => {
  it("replays the conversation, then resumes after a dropped connection with nothing lost or repeated", async () => {
    for (const text of ["one", "two", "three"]) await send(text);
    // The first connection sees the conversation event and the first message, then drops.
    const response = await events();
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const first = await readEvents(response, 2);
    expect(first.map((e) => e.event)).toEqual(["conversation", "message"]);
    // Written while the visitor was away.
    await send("four");
    const resumed = await readEvents(await events({ "last-event-id": first[1]!.id ?? "" }), 3);
    expect(resumed.map((e) => (e.data as { text: string }).text)).toEqual(["two", "three", "four"]);
    const ids = [...first, ...resumed].map((e) => Number(e.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it("delivers a live message as it is written", async () => {
    const response = await events({}, `?after=${await h.server.deps.conversations.lastEventId("acme")}`);
    const pending = readEvents(response, 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await send("live");
    expect(((await pending)[0]!.data as { text: string }).text).toBe("live");
  });

  it("shows the visitor no agent emails or internal fields", async () => {
    const all = await readEvents(await events(), 1);
    expect(Object.keys(all[0]!.data as object).sort()).toEqual(["agentName", "createdAt", "id", "offline", "status"]);
  });

  it("names the agent who joins and writes by the display name they chose, and by nothing while they chose none", async () => {
    const agent = await h.login("acme", "agent@acme.test");
    await agent.fetch("/api/v1/console/me/options", { method: "PATCH", json: { displayName: "Anna" } });
    const after = await h.server.deps.conversations.lastEventId("acme");
    await agent.fetch(`/api/v1/console/conversations/${conversationId}/accept`, { method: "POST" });
    await agent.fetch(`/api/v1/console/conversations/${conversationId}/messages`, {
      method: "POST",
      json: { text: "Hello, Anna here" },
    });
    const [joined, said] = await readEvents<{ agentName: string | null; status?: string; text?: string }>(
      await events({}, `?after=${after}`),
      2,
    );
    expect(joined!.data).toMatchObject({ status: "active", agentName: "Anna" });
    expect(said!.data).toMatchObject({ text: "Hello, Anna here", agentName: "Anna" });
    expect(JSON.stringify([joined, said])).not.toContain("agent@acme.test");
    await agent.fetch("/api/v1/console/me/options", { method: "PATCH", json: { displayName: null } });
    const resumed = await (
      await fetch(`${h.url}/api/v1/widget/acme/conversations`, {
        method: "POST",
        headers: { authorization: `Bearer ${ticket}`, "x-chat-secret": secret, origin: SITE },
      })
    ).json();
    expect(resumed.messages.at(-1)).toMatchObject({ text: "Hello, Anna here", agentName: null });
  });

  it("ends the stream when the ticket expires", async () => {
    try {
      const response = await events();
      const pending = response.text();
      h.clock.skip(3 * 3600 * 1000);
      expect(await pending).toContain("event: unavailable");
    } finally {
      h.clock.reset();
    }
  });

  it("refuses another visitor's ticket, even with the chat's secret", async () => {
    const other = (
      await (
        await fetch(`${h.url}/api/v1/widget/acme/ticket?page=${encodeURIComponent(SITE + "/")}`, {
          headers: { origin: SITE },
        })
      ).json()
    ).ticket;
    const response = await events({ authorization: `Bearer ${other}` });
    expect(response.status).toBe(404);
  });

  // EventSource could send neither: the widget reads the stream with fetch, and no URL carries a credential.
  it("takes the ticket and the secret from headers only, never from the URL", async () => {
    const inUrl = await fetch(
      `${h.url}/api/v1/widget/acme/conversations/${conversationId}/events?ticket=${ticket}&secret=${secret}`,
      { headers: { origin: SITE, "x-chat-secret": secret } },
    );
    expect(inUrl.status).toBe(401);
    const secretInUrl = await fetch(
      `${h.url}/api/v1/widget/acme/conversations/${conversationId}/events?secret=${secret}`,
      { headers: { origin: SITE, authorization: `Bearer ${ticket}` } },
    );
    expect(secretInUrl.status).toBe(404);
  });
});

describe("a visitor's stream the store cannot check", () => {
  it("is told to come back when a policy change cannot be read, and the process carries on", async () => {
    const failing = await startHarness();
    try {
      const visitor = await visitorSession(failing);
      const reader = new SseReader(await visitor.fetch(`/conversations/${visitor.conversationId}/events`));
      await reader.take(1);
      // The store gone, as a lost database leaves it: the stream reads the changed policy, and cannot.
      await failing.server.deps.db.destroy();
      failing.server.deps.changes.publish({ type: "policy", accountId: "acme" });
      await reader.ended;
      expect(reader.retryMs).toBe(1000);
    } finally {
      await failing.stop();
    }
  });
});
