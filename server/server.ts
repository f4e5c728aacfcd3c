// Starts Hatch on a real socket: used by `npm start`, the demo, the end-to-end tests and the benches.

import { getRequestListener } from "@hono/node-server";
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "./app";
import { busyAt, type Config } from "./config";
import { createDeps, type Deps, type Seams } from "./deps";
import { errorBody } from "./http/errors";
import type { BodyBindings } from "./http/request-body";
import { BoundedMemo } from "./http/memo";
import { PATHS } from "./http/paths";
import { securityHeadersFor } from "./http/security-headers";
import { newId } from "./ids";
import { resumeDigests } from "./mail/notify";
import { carriesStream, expectStream } from "./realtime/stream-sink";
import { answerVerdict, verdictRequest, type Answer, type VerdictRequest } from "./verdict/verdict-route";
import { MAX_LENGTHS_PER_SET } from "./limits";
import { startRetention } from "./retention";

export interface RunningServer {
  url: string;
  deps: Deps;
  /**
   * Stops accepting connections, lets the requests in flight finish (an upload on a slow link) for
   * up to `graceMs`, then ends what is left, event streams included, and closes the store and
   * Redis. With nothing in flight it does not wait. Calling it again returns the same shutdown.
   */
  close(graceMs?: number): Promise<void>;
  /** What clients hold of this instance now: open connections (event streams' included) and requests in flight (streams aside). */
  load(): { connections: number; requests: number };
}

/** How long a shutdown waits for the requests in flight before it ends them. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** `seams` are for tests: a clock they move, a shorter heartbeat, lower caps (deps.ts). */
export async function startServer(config: Config, seams: Partial<Seams> = {}): Promise<RunningServer> {
  const deps = await createDeps(config, seams);
  const app = createApp(deps);
  const bindings: BodyBindings = { bodyDeadlineBaseMs: deps.bodyDeadlineBaseMs };
  const hono = getRequestListener((request, env) => app.fetch(request, { ...env, ...bindings }));
  const requests = requestTracker();
  const busy = busyAt(config.maxConnections);
  const server: Server = await new Promise((resolve, reject) => {
    const s = createServer(timeouts(config), (req, res) => {
      // oxlint-disable-next-line no-underscore-dangle -- net.Server's name for it
      if ((s as CountedServer)._connections > busy && refusedBusy(req, res)) return;
      // A request behind an event stream kept on node:http's response would wait for it, held: the reader said more than its GET.
      if (carriesStream(req.socket)) return void req.socket.destroy();
      const asked = req.method === "GET" ? verdictRequest(req.url ?? "") : null;
      if (asked === null) {
        if (isEventStream(req)) expectStream(req, res);
        requests.track(req, res);
        void hono(req, res);
      } else serveVerdictRoute(deps, req, res, asked, requests);
    });
    // The last resort: past it node:http closes a new connection unanswered, before the process runs out of descriptors.
    s.maxConnections = config.maxConnections;
    // A taken port is a message for the operator, not a crash without one.
    const failed = (error: NodeJS.ErrnoException) => {
      void deps.close().catch(() => undefined);
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`Port ${config.port} on ${config.host} is in use: stop what runs there or set PORT.`, {
              cause: error,
            })
          : error,
      );
    };
    s.once("error", failed);
    s.listen(config.port, config.host, () => {
      // Once listening, an error is a connection the process could not take (out of descriptors):
      // said, and served on. The start's listener would close the store under a running server.
      s.off("error", failed);
      s.on("error", (error) => deps.log.error({ err: error }, "a connection could not be accepted"));
      resolve(s);
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  if (config.port === 0) deps.config.publicUrl = deps.config.publicUrl.replace(/:0$/, `:${port}`);
  const sweeper = sweepExpired(deps);
  const stopRetention = startRetention(deps);
  deps.outbox.start();
  await resumeDigests(deps);
  let closing: Promise<void> | null = null;
  const shutdown = async (graceMs: number) => {
    clearInterval(sweeper);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await requests.settle(server, graceMs);
    // Event streams never end by themselves: each is told when to come back, then what outlived the grace is cut.
    await deps.streams.closeAll();
    server.closeAllConnections();
    await closed;
    await stopRetention();
    await deps.close();
  };
  return {
    url,
    deps,
    close: (graceMs = SHUTDOWN_GRACE_MS) => (closing ??= shutdown(graceMs)),
    // oxlint-disable-next-line no-underscore-dangle -- net.Server's name for it
    load: () => ({ connections: (server as CountedServer)._connections, requests: requests.size }),
  };
}

/**
 * A request's head must arrive within headersTimeoutMs, checked every second or sooner (Node checks
 * every 30 s by default: a slow head held its descriptor over a minute). Its body is not bound by it: an upload
 * on a slow link keeps Node's requestTimeout (300 s) to arrive.
 */
function timeouts(config: Config): ServerOptions {
  return {
    headersTimeout: config.headersTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, Math.ceil(config.headersTimeoutMs / 4)),
  };
}

const BUSY_RETRY_AFTER_S = 5;

/**
 * Past the busy level, anything but the essentials is answered 503 and its connection closed, so
 * they keep the connections left below the cap (where node:http would close them unanswered).
 */
function refusedBusy(req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? "/";
  if (PATHS.essential.test(url)) {
    // Answered, but not kept: a client holding connections open with requests of its own gets each closed.
    res.shouldKeepAlive = false;
    return false;
  }
  res.writeHead(503, {
    ...securityHeadersFor(url.split("?")[0]!),
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    "Retry-After": String(BUSY_RETRY_AFTER_S),
    Connection: "close",
  });
  res.end(
    JSON.stringify(
      errorBody("busy", `This server holds as many connections as it may: try again in ${BUSY_RETRY_AFTER_S} s.`),
    ),
  );
  return true;
}

/** net.Server's count of its open connections: the one its maxConnections is held to, decremented as a socket is destroyed. */
type CountedServer = Server & { _connections: number };

/** The event streams (the console's and a conversation's): they end at shutdown rather than being waited for. */
function isEventStream(req: IncomingMessage): boolean {
  return req.method === "GET" && PATHS.eventStream.test(req.url ?? "");
}

interface RequestTracker {
  /** Counts a request as in flight until its response closes; event streams are left out. */
  track(req: IncomingMessage, res: ServerResponse): void;
  readonly stopping: boolean;
  /** Requests in flight. */
  readonly size: number;
  settle(server: Server, graceMs: number): Promise<void>;
}

/**
 * Counts the requests in flight, event streams aside, so a shutdown can wait for them. Once it has
 * begun, each answer says Connection: close and a connection is closed as soon as it is idle.
 */
function requestTracker(): RequestTracker {
  const inFlight = new Set<ServerResponse>();
  let stopping = false;
  let settled: (() => void) | null = null;
  let closingServer: Server | null = null;
  return {
    track(req, res) {
      if (isEventStream(req) || inFlight.has(res)) return;
      inFlight.add(res);
      if (stopping) res.shouldKeepAlive = false;
      const done = () => {
        if (!inFlight.delete(res) || !stopping) return;
        closingServer?.closeIdleConnections();
        if (inFlight.size === 0) settled?.();
      };
      res.once("close", done);
      // A response queued behind another on its connection (pipelined) never closes when the client
      // leaves: node:http aborts its request, and that is the end of it.
      req.once("close", () => (req.errored === null ? undefined : done()));
    },
    get stopping() {
      return stopping;
    },
    get size() {
      return inFlight.size;
    },
    settle(server, graceMs) {
      stopping = true;
      closingServer = server;
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

/**
 * Answers the verdict or ticket route, at once when it was decided without waiting (the usual case). Such a verdict is
 * not tracked as in flight: it is answered before a shutdown could wait for it, and a listener per
 * response showed in the verdict bench. One that waits for the store, or comes during a shutdown, is.
 */
function serveVerdictRoute(
  deps: Deps,
  req: IncomingMessage,
  res: ServerResponse,
  asked: VerdictRequest,
  requests: RequestTracker,
): void {
  if (requests.stopping) requests.track(req, res);
  // One verdict in VERDICT_TIMING_SAMPLE is timed: prom-client's observe() builds its label key on
  // every call, which cost the verdict more than its own checks. The histogram's shape is the same.
  const started = ++verdicts % VERDICT_TIMING_SAMPLE === 0 ? performance.now() : null;
  try {
    const answer = answerVerdict(deps, req, asked);
    if (!(answer instanceof Promise)) return answered(deps, res, asked, answer, started);
    requests.track(req, res);
    answer.then(
      (later) => answered(deps, res, asked, later, started),
      (error: unknown) => fail(deps, req, res, error),
    );
  } catch (error) {
    fail(deps, req, res, error);
  }
}

/** Sends a verdict's answer, and times it when it is one of the sample (`started` is then when it began). */
function answered(deps: Deps, res: ServerResponse, asked: VerdictRequest, answer: Answer, started: number | null) {
  send(res, answer);
  if (started === null) return;
  const timer = asked.ticket ? deps.metrics.ticketSeconds : deps.metrics.verdictSeconds;
  timer.observe((performance.now() - started) / 1000);
}

/** Expired rules stay listed (as expired) this long, then go. */
const EXPIRED_RULES_KEPT_MS = 30 * 24 * 3600 * 1000;
const SWEEP_EVERY_MS = 3600 * 1000;

/**
 * Removes rules 30 days past their expiry, and protection's counts and used solutions past their
 * windows, now and every hour; every instance may, the result is the same.
 */
/** Mail and webhooks done (sent or given up) are kept this long for the console's list of deliveries. */
const SENT_DELIVERIES_KEPT_MS = 7 * 24 * 60 * 60 * 1000;

function sweepExpired(deps: Deps): NodeJS.Timeout {
  const sweep = () =>
    void Promise.all([
      deps.rules.removeExpired(deps.now() - EXPIRED_RULES_KEPT_MS),
      deps.protection.sweep(deps.now()),
      deps.outboxStore.prune(deps.now() - SENT_DELIVERIES_KEPT_MS),
    ]).catch((error: unknown) =>
      deps.log.error({ err: error }, "expired rules, counts or deliveries could not be removed"),
    );
  sweep();
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  return timer;
}

const VERDICT_TIMING_SAMPLE = 16;
let verdicts = 0;

/**
 * Header lists as writeHead takes them, Content-Length included, built once per set and length: the
 * verdict's sets are shared and its answers come in a few lengths. Bounded per set.
 */
const headerLists = new WeakMap<Readonly<Record<string, string>>, BoundedMemo<number, string[]>>();

function headerList(headers: Readonly<Record<string, string>>, length: number): string[] {
  let byLength = headerLists.get(headers);
  if (byLength === undefined) headerLists.set(headers, (byLength = new BoundedMemo(MAX_LENGTHS_PER_SET)));
  return (
    byLength.get(length) ?? byLength.set(length, [...Object.entries(headers).flat(), "Content-Length", String(length)])
  );
}

/**
 * With a Content-Length the head and body leave in one write; without one Node frames the body as
 * chunks and sends them with writev, which was a third of the verdict's time under load.
 */
function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, headerList(answer.headers, Buffer.byteLength(answer.body)));
  res.end(answer.body);
}

/** A verdict that failed: an answer of the widget API like any other, with its security headers. */
const FAILED_VERDICT_HEADERS = Object.freeze({
  ...securityHeadersFor("/api/v1/widget/"),
  "Content-Type": "application/json",
});

function fail(deps: Deps, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const requestId = newId("req");
  deps.log.error({ requestId, method: req.method, path: req.url?.split("?")[0], err: error }, "request failed");
  res.writeHead(500, { ...FAILED_VERDICT_HEADERS, "X-Request-Id": requestId });
  res.end(
    JSON.stringify(errorBody("internal", `Something went wrong on the server; it has been logged as ${requestId}.`)),
  );
}
