// Event streams are capped per ticket, visitor, address and console session, and opened at a limited
// rate: one holder cannot take every file descriptor, and a refusal is a 429 with Retry-After.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LIMITS } from "../../../server/limits";
import { memoryRateLimit } from "../../../server/protection/rate-limit";
import { STREAM_CAPS } from "../../../server/realtime/open-streams";
import { startHarness, visitorSession, type Harness, type VisitorSession, withoutAutomaticBans } from "../harness";

let h: Harness;
const open: AbortController[] = [];
/**
 * Every answer opened, held until closeAll(): fetch cancels the body of a Response the garbage
 * collector takes, which would close a stream mid-test and let one more in past its cap.
 */
const held: Response[] = [];

/** Opens the visitor's event stream; the answer's status, and the stream stays open until closeAll(). */
async function openStream(visitor: VisitorSession, forwardedFor?: string): Promise<Response> {
  const controller = new AbortController();
  open.push(controller);
  const headers: Record<string, string> = {
    origin: "https://shop.example",
    authorization: `Bearer ${visitor.ticket}`,
    "x-chat-secret": visitor.secret,
    ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}),
  };
  const response = await fetch(`${h.url}/api/v1/widget/acme/conversations/${visitor.conversationId}/events`, {
    headers,
    signal: controller.signal,
  });
  held.push(response);
  return response;
}

async function closeAll(): Promise<void> {
  for (const controller of open.splice(0)) controller.abort();
  held.length = 0;
  await expect.poll(() => h.server.deps.streams.size).toBe(0);
}

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback" });
  await withoutAutomaticBans(h);
});
afterEach(closeAll);
afterAll(() => h.stop());

describe("event streams per holder", () => {
  it("lets one ticket hold two streams, refuses a third with Retry-After, and frees the place when one closes", async () => {
    const visitor = await visitorSession(h, { forwardedFor: "198.51.100.1" });
    for (let i = 0; i < STREAM_CAPS.ticket; i++) expect((await openStream(visitor, "198.51.100.1")).status).toBe(200);
    const refused = await openStream(visitor, "198.51.100.1");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refused.json()).error.code).toBe("too_many_streams");
    open.shift()!.abort();
    await expect.poll(() => h.server.deps.streams.size).toBe(STREAM_CAPS.ticket - 1);
    expect((await openStream(visitor, "198.51.100.1")).status).toBe(200);
  });

  it("caps one visitor's streams however many tickets it holds", async () => {
    const first = await visitorSession(h, { forwardedFor: "198.51.100.2" });
    expect(visitorIdOf(first)).toMatch(/^v_/);
    const statuses: number[] = [];
    for (let i = 0; i <= STREAM_CAPS.visitor; i++) {
      const again = await visitorSession(h, {
        forwardedFor: "198.51.100.2",
        visitor: visitorIdOf(first),
        secret: first.secret,
      });
      statuses.push((await openStream(again, "198.51.100.2")).status);
    }
    expect(statuses).toEqual([...Array(STREAM_CAPS.visitor).fill(200), 429]);
  });

  it("caps one address's streams across visitors, and other addresses still get theirs", async () => {
    // Twenty-one visitors start chats from one address here: the new-chat limit is another test's business.
    h.server.deps.limits.conversationStart = memoryRateLimit({ ...LIMITS.conversationStart, limit: 1000 }, Date.now);
    const statuses: number[] = [];
    for (let i = 0; i <= STREAM_CAPS.address; i++)
      statuses.push(
        (await openStream(await visitorSession(h, { forwardedFor: "198.51.100.3" }), "198.51.100.3")).status,
      );
    expect(statuses.filter((status) => status === 200)).toHaveLength(STREAM_CAPS.address);
    expect(statuses.at(-1)).toBe(429);
    expect((await openStream(await visitorSession(h, { forwardedFor: "198.51.100.4" }), "198.51.100.4")).status).toBe(
      200,
    );
  });

  it("limits how fast one address opens streams, even when it closes each at once", async () => {
    const visitor = await visitorSession(h, { forwardedFor: "198.51.100.5" });
    const statuses: number[] = [];
    for (let i = 0; i <= LIMITS.streamOpen.limit; i++) {
      const response = await openStream(visitor, "198.51.100.5");
      statuses.push(response.status);
      open.pop()!.abort();
      await expect.poll(() => h.server.deps.streams.size).toBe(0);
    }
    expect(statuses.slice(0, LIMITS.streamOpen.limit).every((status) => status === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it("caps the console's streams per session", async () => {
    const owner = await h.login("acme", "owner@acme.test");
    const statuses: number[] = [];
    for (let i = 0; i <= STREAM_CAPS.session; i++) {
      const controller = new AbortController();
      open.push(controller);
      // Held, as openStream holds a visitor's: a collected answer would close its stream mid-test.
      const response = await owner.fetch("/api/v1/console/events", { signal: controller.signal });
      held.push(response);
      statuses.push(response.status);
    }
    expect(statuses).toEqual([...Array(STREAM_CAPS.session).fill(200), 429]);
    // Another session of the same user is another holder.
    const again = await h.login("acme", "owner@acme.test");
    const controller = new AbortController();
    open.push(controller);
    const response = await again.fetch("/api/v1/console/events", { signal: controller.signal });
    held.push(response);
    expect(response.status).toBe(200);
  });
});

/** The visitor id a ticket is bound to (its second line). */
function visitorIdOf(session: VisitorSession): string {
  return Buffer.from(session.ticket.split(".")[0]!, "base64url").toString().split("\n")[1]!;
}
