// A reader that stops reading is written to no faster than it reads and dropped once too far behind,
// while a reader that keeps up gets everything, and the dropped one resumes with nothing lost or repeated.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversationEvent } from "../../../server/realtime/changes";
import { MAX_UNSENT_BYTES } from "../../../server/limits";

import type { Conversation } from "../../../server/store/conversations";
import { chatRequest, startHarness, type ConsoleClient, type Harness } from "../harness";
import { openRaw, rawEvents } from "../raw-http";
import { SseReader } from "../sse";

/** Messages of ~24 KB, as in the attack: well past what loopback's buffers take (~4 MB) and the cap. */
const MESSAGES = 400;
const TEXT_BYTES = 24_000;
/** One message's event on the console's stream, with room for its JSON around the text. */
const EVENT_BYTES = TEXT_BYTES + 1024;

let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;

beforeAll(async () => {
  h = await startHarness();
  [owner, agent] = await Promise.all([h.login("acme", "owner@acme.test"), h.login("acme", "agent@acme.test")]);
});
afterAll(() => h.stop());

/** A visitor's message of ~24 KB written and announced as the widget route does; its text starts with `n`. */
async function bigMessage(conversation: Conversation, n: number): Promise<void> {
  const { conversations, changes, now } = h.server.deps;
  const text = `${n} ${"x".repeat(TEXT_BYTES)}`;
  const written = await conversations.addMessage(conversation, "visitor", null, text, null, now());
  if (!written) throw new Error("the chat closed");
  changes.publish(conversationEvent(conversation, written.eventId));
}

/** Which message an event's data is: the number its text starts with. */
const numberOf = (data: unknown) => Number(/^(\d+) /.exec((data as { data: { text: string } }).data.text)?.[1]);

describe("a reader that stops reading", () => {
  it("is dropped once past the cap, holds at most the cap and one event meanwhile, and resumes with nothing lost or repeated; a reader that keeps up gets everything", async () => {
    const conversation = await chatRequest(h);
    const paused = await openRaw(h, agent.cookie);
    paused.socket.pause();
    const keepingUp = new SseReader(await owner.fetch("/api/v1/console/events"));
    await expect.poll(() => h.server.deps.streams.size).toBe(2);

    let most = 0;
    for (let n = 0; n < MESSAGES; n++) {
      await bigMessage(conversation, n);
      await new Promise((resolve) => setImmediate(resolve));
      most = Math.max(most, h.server.deps.streams.mostBuffered());
    }
    await expect.poll(() => h.server.deps.streams.size, { timeout: 10_000 }).toBe(1);
    expect(most).toBeLessThanOrEqual(MAX_UNSENT_BYTES + EVENT_BYTES);

    const all = await keepingUp.take(MESSAGES, 20_000);
    expect(all.map((event) => numberOf(event.data))).toEqual([...Array(MESSAGES).keys()]);
    await keepingUp.close();

    // The dropped reader takes what reached it, and comes back from the last whole event it read.
    paused.socket.on("error", () => undefined);
    paused.socket.resume();
    await paused.closed;
    const before = rawEvents(paused.body()).filter((event) => event.event === "message");
    expect(before.length).toBeLessThan(MESSAGES);
    const resumed = new SseReader(
      await agent.fetch("/api/v1/console/events", { headers: { "last-event-id": String(before.at(-1)?.id ?? 0) } }),
    );
    const after = await resumed.take(MESSAGES - before.length, 20_000);
    await resumed.close();
    const read = [...before.map((event) => JSON.parse(event.data) as unknown), ...after.map((event) => event.data)];
    expect(read.map(numberOf)).toEqual([...Array(MESSAGES).keys()]);
  });

  it("is written no further ahead than the cap and one event while it replays a long history, and is not dropped for it", async () => {
    // The history of the test above: ~9.6 MB of messages.
    const replaying = await openRaw(h, agent.cookie, { headers: { "last-event-id": "0" } });
    replaying.socket.pause();
    let most = 0;
    for (let i = 0; i < 25; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      most = Math.max(most, h.server.deps.streams.mostBuffered());
    }
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(MAX_UNSENT_BYTES + EVENT_BYTES);
    expect(h.server.deps.streams.size).toBe(1);
    replaying.socket.destroy();
    await expect.poll(() => h.server.deps.streams.size).toBe(0);
  });
});
