// Internal notes on a real server: co-workers write them in any chat at any time and read them in the
// console and its feed; the visitor never gets one, neither live nor when the chat is resumed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAll, startHarness, visitorSession, type ConsoleClient, type Harness } from "../harness";
import { SseReader } from "../sse";

let h: Harness;
let agent: ConsoleClient;
let rival: ConsoleClient;

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback" });
  ({ agent, rival } = await signInAll(h));
});
afterAll(() => h.stop());

const chatPath = (id: string) => `/api/v1/console/conversations/${id}`;
const note = (by: ConsoleClient, id: string, text: string) =>
  by.fetch(`${chatPath(id)}/notes`, { method: "POST", json: { text } });

describe("an internal note", () => {
  it("reaches co-workers and never the visitor, live or on resuming the chat", async () => {
    const visitor = await visitorSession(h, { forwardedFor: "198.51.100.150" });
    const id = visitor.conversationId;
    const feed = new SseReader<{ type: string; data: { author?: string; text?: string } }>(
      await agent.fetch("/api/v1/console/events"),
    );
    // Noted while the request waits, before anyone took it.
    expect((await note(agent, id, "Same person as yesterday's refund fraud")).status).toBe(201);
    await agent.fetch(`${chatPath(id)}/accept`, { method: "POST" });
    const stream = new SseReader<{ author?: string; text?: string }>(
      await visitor.fetch(`/conversations/${id}/events?after=0`),
    );
    const written = await note(agent, id, "Do not offer a refund");
    expect(await written.json()).toMatchObject({ author: "note", text: "Do not offer a refund", conversationId: id });
    await agent.fetch(`${chatPath(id)}/messages`, { method: "POST", json: { text: "How can I help?" } });

    await expect.poll(() => stream.events.some((e) => e.data.text === "How can I help?")).toBe(true);
    expect(JSON.stringify(stream.events)).not.toMatch(/refund/i);
    await expect
      .poll(() => feed.events.filter((e) => e.data.data.author === "note").map((e) => e.data.data.text))
      .toEqual(["Same person as yesterday's refund fraud", "Do not offer a refund"]);
    const { messages } = await (await agent.fetch(chatPath(id))).json();
    expect(messages.filter((m: { author: string }) => m.author === "note")).toHaveLength(2);

    const resumed = await (await visitor.fetch("/conversations", { method: "POST" })).json();
    expect(resumed.messages.map((m: { text: string }) => m.text)).toEqual(["How can I help?"]);
    await Promise.all([stream.close(), feed.close()]);
  });

  it("may be written on a closed chat, for whoever reads it later", async () => {
    const visitor = await visitorSession(h, { forwardedFor: "198.51.100.151" });
    await agent.fetch(`${chatPath(visitor.conversationId)}/close`, { method: "POST" });
    expect((await note(agent, visitor.conversationId, "Called them back by phone")).status).toBe(201);
  });

  it.each([
    ["an empty note", "  ", 400],
    ["a note too long", "x".repeat(4001), 400],
  ])("refuses %s", async (_name, text, status) => {
    const visitor = await visitorSession(h, { forwardedFor: "198.51.100.152" });
    expect((await note(agent, visitor.conversationId, text)).status).toBe(status);
  });

  it("is out of another account's reach", async () => {
    const visitor = await visitorSession(h, { forwardedFor: "198.51.100.153" });
    expect((await note(rival, visitor.conversationId, "mine now")).status).toBe(404);
    const { messages } = await (await agent.fetch(chatPath(visitor.conversationId))).json();
    expect(messages).toEqual([]);
  });
});
