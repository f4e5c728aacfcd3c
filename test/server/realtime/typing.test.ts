// Typing indicators on a real server: each side's typing reaches the other side's open streams, at
// most once every few seconds per chat and side, without an id and without being stored.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TYPING_EVERY_MS } from "../../../policy/chat";
import {
  signInAll,
  startHarness,
  visitorSession,
  type ConsoleClient,
  type Harness,
  type VisitorSession,
} from "../harness";
import { SseReader } from "../sse";

let h: Harness;
let agent: ConsoleClient;

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback" });
  ({ agent } = await signInAll(h));
});
afterAll(() => h.stop());
beforeEach(() => {
  h.clock.reset();
});

const typing = (visitor: VisitorSession) =>
  visitor.fetch(`/conversations/${visitor.conversationId}/typing`, { method: "POST" });

async function visitorStream(visitor: VisitorSession) {
  const after = await h.server.deps.conversations.lastEventId("acme");
  return new SseReader<{ conversationId?: string; name?: string | null }>(
    await visitor.fetch(`/conversations/${visitor.conversationId}/events?after=${after}`),
  );
}

describe("typing", () => {
  it("tells the console a visitor is typing, once in a few seconds, with no id and nothing stored", async () => {
    const visitor = await visitorSession(h, { forwardedFor: "198.51.100.101" });
    const feed = new SseReader<{ conversationId?: string }>(await agent.fetch("/api/v1/console/events"));
    const before = await h.server.deps.conversations.lastEventId("acme");
    for (let i = 0; i < 3; i++) expect((await typing(visitor)).status).toBe(204);
    await expect.poll(() => feed.events.filter((e) => e.event === "typing").length).toBe(1);
    const [told] = feed.events.filter((e) => e.event === "typing");
    expect(told).toEqual({
      id: undefined,
      event: "typing",
      data: { conversationId: visitor.conversationId, name: null },
    });
    expect(await h.server.deps.conversations.lastEventId("acme")).toBe(before);

    h.clock.skip(TYPING_EVERY_MS);
    await typing(visitor);
    await expect.poll(() => feed.events.filter((e) => e.event === "typing").length).toBe(2);
    await feed.close();
  });

  it("tells the visitor the agent is typing, by the name they show, and not the agent's own console", async () => {
    const visitor = await visitorSession(h, { forwardedFor: "198.51.100.102" });
    await agent.fetch("/api/v1/console/me/options", { method: "PATCH", json: { displayName: "Anna" } });
    await agent.fetch(`/api/v1/console/conversations/${visitor.conversationId}/accept`, { method: "POST" });
    const stream = await visitorStream(visitor);
    const feed = new SseReader(await agent.fetch("/api/v1/console/events"));
    const said = await agent.fetch(`/api/v1/console/conversations/${visitor.conversationId}/typing`, {
      method: "POST",
    });
    expect(said.status).toBe(204);
    await expect
      .poll(() => stream.events.find((e) => e.event === "typing")?.data)
      .toEqual({
        conversationId: visitor.conversationId,
        name: "Anna",
      });
    // The visitor's own typing is not sent back to them.
    await typing(visitor);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stream.events.filter((e) => e.event === "typing")).toHaveLength(1);
    expect(feed.events.filter((e) => e.event === "typing")).toHaveLength(1);
    await Promise.all([stream.close(), feed.close()]);
    await agent.fetch("/api/v1/console/me/options", { method: "PATCH", json: { displayName: null } });
  });

  it("refuses typing in a chat that has ended, and a body", async () => {
    const visitor = await visitorSession(h, { forwardedFor: "198.51.100.103" });
    const withBody = await visitor.fetch(`/conversations/${visitor.conversationId}/typing`, {
      method: "POST",
      json: { text: "secret draft" },
    });
    expect(withBody.status).toBe(400);
    await agent.fetch(`/api/v1/console/conversations/${visitor.conversationId}/close`, { method: "POST" });
    expect((await typing(visitor)).status).toBe(409);
  });
});
