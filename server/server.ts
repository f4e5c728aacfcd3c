// Starts Hatch on a real socket: used by `npm start`, the demo, the end-to-end tests and the benches.

import { getRequestListener } from "@hono/node-server";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "./app";
import type { Config } from "./config";
import { createDeps, type Deps } from "./deps";
import { errorBody } from "./errors";
import { newId } from "./ids";
import { answerVerdict, verdictRequest, type Answer, type VerdictRequest } from "./verdict";

export interface RunningServer {
  url: string;
  deps: Deps;
  /**
   * Stops accepting connections, lets the requests in flight finish (an upload on a slow link) for
   * up to `graceMs`, then ends what is left, event streams included, and closes the store and
   * Redis. With nothing in flight it does not wait. Calling it again returns the same shutdown.
   */
  close(graceMs?: number): Promise<void>;
}

/** How long a shutdown waits for the requests in flight before it ends them. */
export const SHUTDOWN_GRACE_MS = 10_000;

export async function startServer(config: Config): Promise<RunningServer> {
  const deps = await createDeps(config);
  const hono = getRequestListener(createApp(deps).fetch);
  const server: Server = await new Promise((resolve, reject) => {
    const s = createServer((req, res) => {
      const asked = req.method === "GET" ? verdictRequest(req.url ?? "") : null;
      if (asked === null) void hono(req, res);
      else verdict(deps, req, res, asked);
    });
    s.listen(config.port, config.host, () => resolve(s));
    // A taken port is a message for the operator, not a crash without one.
    s.once("error", (error: NodeJS.ErrnoException) => {
      void deps.close();
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`Port ${config.port} on ${config.host} is in use: stop what runs there or set PORT.`, {
              cause: error,
            })
          : error,
      );
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  if (config.port === 0) deps.config.publicUrl = deps.config.publicUrl.replace(/:0$/, `:${port}`);
  const requests = trackRequests(server);
  const sweeper = sweepExpired(deps);
  let closing: Promise<void> | null = null;
  const shutdown = async (graceMs: number) => {
    clearInterval(sweeper);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await requests.settle(graceMs);
    // Event streams never end by themselves: each is told when to come back, then what outlived the grace is cut.
    await deps.streams.closeAll();
    server.closeAllConnections();
    await closed;
    await deps.close();
  };
  return { url, deps, close: (graceMs = SHUTDOWN_GRACE_MS) => (closing ??= shutdown(graceMs)) };
}

/** The event streams (the console's and a conversation's): they end at shutdown rather than being waited for. */
function isEventStream(req: IncomingMessage): boolean {
  return req.method === "GET" && /\/events(?:\?|$)/.test(req.url ?? "");
}

/**
 * Counts the requests in flight, event streams aside, so a shutdown can wait for them. Once it has
 * begun, each answer says Connection: close and a connection is closed as soon as it is idle.
 */
function trackRequests(server: Server): { settle(graceMs: number): Promise<void> } {
  const inFlight = new Set<ServerResponse>();
  let stopping = false;
  let settled: (() => void) | null = null;
  // Before the handler, which may answer at once (the verdict).
  server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
    if (isEventStream(req)) return;
    inFlight.add(res);
    if (stopping) res.shouldKeepAlive = false;
    res.once("close", () => {
      inFlight.delete(res);
      if (!stopping) return;
      server.closeIdleConnections();
      if (inFlight.size === 0) settled?.();
    });
  });
  return {
    settle(graceMs) {
      stopping = true;
      for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
      if (inFlight.size === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          settled = null;
          resolve();
        };
        const timer = setTimeout(done, graceMs);
        settled = done;
      });
    },
  };
}

/** Sends the verdict, at once when it was decided without waiting (the usual case). */
function verdict(deps: Deps, req: IncomingMessage, res: ServerResponse, asked: VerdictRequest): void {
  // One verdict in VERDICT_TIMING_SAMPLE is timed: prom-client's observe() builds its label key on
  // every call, which cost the verdict more than its own checks. The histogram's shape is the same.
  const timed = ++verdicts % VERDICT_TIMING_SAMPLE === 0;
  const started = timed ? performance.now() : 0;
  const answered = (answer: Answer) => {
    send(res, answer);
    if (!timed) return;
    const timer = asked.ticket ? deps.metrics.ticketSeconds : deps.metrics.verdictSeconds;
    timer.observe((performance.now() - started) / 1000);
  };
  try {
    const answer = answerVerdict(deps, req, asked);
    if (answer instanceof Promise) answer.then(answered, (error: unknown) => fail(deps, req, res, error));
    else answered(answer);
  } catch (error) {
    fail(deps, req, res, error);
  }
}

/** Expired rules stay listed (as expired) this long, then go. */
const EXPIRED_RULES_KEPT_MS = 30 * 24 * 3600 * 1000;
const SWEEP_EVERY_MS = 3600 * 1000;

/**
 * Removes rules 30 days past their expiry, and protection's counts and used solutions past their
 * windows, now and every hour; every instance may, the result is the same.
 */
function sweepExpired(deps: Deps): NodeJS.Timeout {
  const sweep = () =>
    void Promise.all([
      deps.rules.removeExpired(deps.now() - EXPIRED_RULES_KEPT_MS),
      deps.protection.sweep(deps.now()),
    ]).catch((error: unknown) => deps.log.error({ err: error }, "expired rules or counts could not be removed"));
  sweep();
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  return timer;
}

const VERDICT_TIMING_SAMPLE = 16;
let verdicts = 0;

/** Header sets as the flat lists writeHead also takes, built once per set: the verdict's sets are shared. */
const flatHeaders = new WeakMap<Readonly<Record<string, string>>, readonly string[]>();

/**
 * With a Content-Length the head and body leave in one write; without one Node frames the body as
 * chunks and sends them with writev, which was a third of the verdict's time under load.
 */
function send(res: ServerResponse, answer: Answer): void {
  let flat = flatHeaders.get(answer.headers);
  if (flat === undefined) flatHeaders.set(answer.headers, (flat = Object.entries(answer.headers).flat()));
  res.writeHead(answer.status, flat.concat("Content-Length", String(Buffer.byteLength(answer.body))));
  res.end(answer.body);
}

function fail(deps: Deps, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const requestId = newId("req");
  deps.log.error({ requestId, method: req.method, path: req.url?.split("?")[0], err: error }, "request failed");
  res.writeHead(500, { "Content-Type": "application/json", "X-Request-Id": requestId });
  res.end(
    JSON.stringify(errorBody("internal", `Something went wrong on the server; it has been logged as ${requestId}.`)),
  );
}
