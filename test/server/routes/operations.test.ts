// Liveness, readiness and metrics, as a load balancer and Prometheus ask for them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, visitorSession, type Harness, withoutAutomaticBans } from "../harness";

const SITE = "https://shop.example";
const TOKEN = "metrics-token-for-the-test";
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ METRICS_TOKEN: TOKEN });
  await withoutAutomaticBans(h);
});
afterAll(() => h.stop());

const metrics = () => fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });

describe("health", () => {
  it("says it is up, and ready while its store (and Redis, where there is one) answer", async () => {
    expect(await (await fetch(`${h.url}/healthz`)).json()).toEqual({ status: "up" });
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(200);
    const parts = await ready.json();
    expect(parts.store).toBe("up");
    expect(parts.redis).toBe(h.server.deps.redis === null ? undefined : "up");
  });

  it("is not ready, and says what is down, once its store is gone", async () => {
    const broken = await startHarness();
    await broken.server.deps.db.destroy();
    try {
      const ready = await fetch(`${broken.url}/readyz`);
      expect(ready.status).toBe(503);
      expect((await ready.json()).store).toBe("down");
      expect((await fetch(`${broken.url}/healthz`)).status).toBe(200);
    } finally {
      // Its store is closed already; the rest (socket, Redis, folder) still goes.
      await broken.stop().catch(() => undefined);
    }
  });
});

describe("the log", () => {
  it("writes one line per error, with the request id the answer names", async () => {
    const broken = await startHarness();
    const lines: { requestId?: string; path?: string }[] = [];
    // Only the requests' lines: the sweep of expired rules the server starts with may still be
    // running on the store destroyed below, and logs its own failure (PostgreSQL is slow enough).
    broken.server.deps.log.error = ((fields: { requestId?: string; path?: string }, message: string) => {
      if (message === "request failed") lines.push(fields);
    }) as typeof broken.server.deps.log.error;
    await broken.server.deps.db.destroy();
    try {
      const failed = await fetch(`${broken.url}/api/v1/console/me`, { headers: { cookie: "hatch_session=x" } });
      expect(failed.status).toBe(500);
      const { error } = await failed.json();
      expect(lines).toHaveLength(1);
      expect(lines[0]?.path).toBe("/api/v1/console/me");
      expect(error.message).toContain(lines[0]?.requestId);
      expect(failed.headers.get("x-request-id")).toBe(lines[0]?.requestId);
    } finally {
      await broken.stop().catch(() => undefined);
    }
  });
});

describe("metrics", () => {
  it("are a 404 without METRICS_TOKEN, and a 401 without the right bearer token", async () => {
    const off = await startHarness();
    try {
      expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
    } finally {
      await off.stop();
    }
    expect((await fetch(`${h.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${h.url}/metrics`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
  });

  it("count verdicts by what hid them, time routes, and count open streams and refusals", async () => {
    const verdict = (page: string) =>
      fetch(`${h.url}/api/v1/widget/acme/verdict?page=${encodeURIComponent(page)}`, {
        headers: { origin: new URL(page).origin },
      });
    await verdict(`${SITE}/`);
    await verdict(`${SITE}/`);
    await fetch(`${h.url}/api/v1/widget/nobody/verdict?page=x`, { headers: { origin: SITE } });
    const visitor = await visitorSession(h);
    const stream = await visitor.fetch(`/conversations/${visitor.conversationId}/events`);
    for (let i = 0; i < 31; i++)
      await visitor.fetch(`/conversations/${visitor.conversationId}/messages`, {
        method: "POST",
        json: { text: `m${i}` },
      });

    const text = await (await metrics()).text();
    expect(text).toMatch(/hatch_verdicts_total\{outcome="shown"\} [3-9]/);
    expect(text).toMatch(/hatch_verdicts_total\{outcome="account"\} 1\b/);
    expect(text).toMatch(/hatch_open_event_streams 1\b/);
    expect(text).toMatch(
      /hatch_rate_limited_total\{route="\/api\/v1\/widget\/:account\/conversations\/:id\/messages"\} 1\b/,
    );
    expect(text).toMatch(
      /hatch_request_duration_seconds_count\{route="\/api\/v1\/widget\/:account\/conversations\/:id\/messages",method="POST"\} 31\b/,
    );
    await stream.body?.cancel();
  });
});
