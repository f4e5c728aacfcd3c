// For the operator and the load balancer: whether the process is up, whether it can serve (its store,
// Redis and clamd answer), and its metrics for Prometheus (only with METRICS_TOKEN).

import { createHash, timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { sql } from "kysely";
import type { Deps } from "../deps";
import type { VirusScanner } from "../files/clamd";
import { ApiError } from "../http/errors";

/** How long a readiness probe waits for the store, Redis or clamd before calling it down. */
const PROBE_TIMEOUT_MS = 2000;

function withinProbeTime(check: Promise<unknown>): Promise<"up" | "down"> {
  const timeout = new Promise<"down">((resolve) => setTimeout(() => resolve("down"), PROBE_TIMEOUT_MS).unref());
  return Promise.race([
    check.then(
      () => "up" as const,
      () => "down" as const,
    ),
    timeout,
  ]);
}

/**
 * Whether the bearer token is METRICS_TOKEN, in a time that tells neither how much of it matched nor
 * how long it is: both sides are hashed to 32 bytes first, and those are compared.
 */
export function sameToken(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** clamd's PING, as a probe: settles when it answers PONG, fails when it does not. */
async function clamdAnswers(scanner: VirusScanner): Promise<void> {
  if (!(await scanner.ping())) throw new Error("clamd does not answer PING");
}

/**
 * Each part listed is "up" or "down"; redis and clamd only where configured. clamd down makes the
 * process unready unless CLAMD_OPTIONAL (then uploads go unscanned, and the body still says so).
 * @example GET /readyz → 200 {"store":"up","redis":"up"} · 503 {"store":"up","redis":"down"} · 503 {"store":"up","clamd":"down"}
 */
export function operationRoutes(deps: Deps) {
  const app = new Hono();

  app.get("/healthz", (c) => c.json({ status: "up" }));

  app.get("/readyz", async (c) => {
    const [store, redis, clamd] = await Promise.all([
      withinProbeTime(sql`select 1`.execute(deps.db)),
      deps.redis === null ? Promise.resolve(null) : withinProbeTime(deps.redis.ping()),
      deps.scanner === null ? Promise.resolve(null) : withinProbeTime(clamdAnswers(deps.scanner)),
    ]);
    const parts = { store, ...(redis === null ? {} : { redis }), ...(clamd === null ? {} : { clamd }) };
    const ready = store === "up" && redis !== "down" && (clamd !== "down" || deps.scannerOptional);
    c.header("Cache-Control", "no-store");
    return c.json(parts, ready ? 200 : 503);
  });

  app.get("/metrics", async (c) => {
    const token = deps.config.metricsToken;
    // Off unless configured: as absent as any unknown path.
    if (token === null) throw new ApiError(404, "not_found", "There is nothing at GET /metrics.");
    const given = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
    if (!sameToken(given, token))
      throw new ApiError(401, "unauthorized", "Send Authorization: Bearer METRICS_TOKEN to read the metrics.");
    c.header("Content-Type", deps.metrics.registry.contentType);
    c.header("Cache-Control", "no-store");
    return c.body(await deps.metrics.registry.metrics());
  });

  return app;
}
