// One webhook delivery attempt: check where it may go, POST the signed event there, and say how it
// went. Retries, ordering and the outbox are the caller's; this never throws and never follows a redirect.

import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { checkDestination, ownerMessage, pinnedLookup, type Destination, type Resolve } from "./address-guard";
import { signDelivery } from "./signature";

/** One event for one endpoint. */
export interface Delivery {
  url: string;
  /** The endpoint's `whsec_…` secret. */
  secret: string;
  /** The event's id, the same on every attempt, so receivers can drop duplicates (`webhook-id`). */
  id: string;
  /** e.g. `chat.started`. */
  type: string;
  data: unknown;
  /** When the event happened: the body's `timestamp`. The header carries the attempt's own time. */
  timestamp: Date;
  /** `WEBHOOKS_ALLOW_PRIVATE=1`: loopback, private ranges and plain http: allowed. */
  allowPrivate: boolean;
  /** The whole attempt, resolution and response included. */
  timeoutMs?: number;
  /** How the endpoint's name is resolved; the system resolver unless a test says otherwise. */
  resolve?: Resolve;
}

/** How an attempt went. `ok` only for a 2xx; `error` says why not, for the console's delivery list. */
export interface DeliveryOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
}

type Result = Omit<DeliveryOutcome, "durationMs">;

// Issue 27: a receiver has 10 s to answer before the attempt counts as failed and is retried.
const DEFAULT_TIMEOUT_MS = 10_000;
// The body is read only so the connection ends cleanly; a receiver cannot make us hold more.
const MAX_RESPONSE_BYTES = 64 * 1024;
const USER_AGENT = "Hatch-Webhooks";

/**
 * POSTs `{"type","timestamp","data"}` signed as the Standard Webhooks specification says.
 * @example
 * const outcome = await deliver({ url, secret, id: "msg_1", type: "chat.started", data: { chatId },
 *   timestamp: new Date(), allowPrivate: false });
 * // { ok: false, status: 500, error: "HTTP 500", durationMs: 41 }
 */
export async function deliver(delivery: Delivery): Promise<DeliveryOutcome> {
  const started = performance.now();
  const timeoutMs = delivery.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  let result: Result;
  try {
    result = await attempt(delivery, deadline, timeoutMs);
  } catch (error) {
    // A body that cannot be serialized, or anything else unforeseen: an outcome, not an exception.
    result = failed(`delivery failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { ...result, durationMs: Math.round(performance.now() - started) };
}

async function attempt(delivery: Delivery, deadline: AbortSignal, timeoutMs: number): Promise<Result> {
  const checking = checkDestination(delivery.url, { allowPrivate: delivery.allowPrivate, resolve: delivery.resolve });
  const destination = await Promise.race([checking, expiry(deadline)]);
  if (destination === null) return failed(`timed out after ${timeoutMs} ms resolving the endpoint`);
  // What a name resolves to stays in the log: said to the owner, it would map the operator's network.
  if (!destination.ok) return failed(`refused: ${ownerMessage(destination)}`);
  const body = JSON.stringify({
    type: delivery.type,
    timestamp: delivery.timestamp.toISOString(),
    data: delivery.data,
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: OutgoingHttpHeaders = {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "user-agent": USER_AGENT,
    "webhook-id": delivery.id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signDelivery({ id: delivery.id, timestamp, body, secret: delivery.secret }),
  };
  return post(destination, headers, body, deadline, timeoutMs);
}

/** Sends one POST to the checked address and settles once on its status, or on why there is none. */
function post(
  destination: Extract<Destination, { ok: true }>,
  headers: OutgoingHttpHeaders,
  body: string,
  deadline: AbortSignal,
  timeoutMs: number,
): Promise<Result> {
  const send = destination.url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<Result>((resolve) => {
    let status: number | null = null;
    let location: string | undefined;
    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      // Once the status is in, it decides: a body cut short after a 2xx still delivered the event.
      resolve(status !== null ? fromStatus(status, location) : failed(describeError(error, deadline, timeoutMs)));
    };
    const request = send(destination.url, {
      method: "POST",
      headers,
      // The address just checked, not a second resolution; the URL's name stays the Host and TLS name.
      lookup: pinnedLookup(destination.address, destination.family),
      // A fresh connection per attempt: a pooled one was opened to an address checked earlier.
      agent: false,
      signal: deadline,
    });
    request.on("response", (response) => {
      status = response.statusCode ?? null;
      location = response.headers.location;
      drain(response, () => settle(null));
    });
    request.on("error", settle);
    request.on("close", () => settle(null));
    request.end(body);
  });
}

/** Reads and drops up to MAX_RESPONSE_BYTES, then calls `done` once the response ends or is cut. */
function drain(response: IncomingMessage, done: () => void): void {
  let bytes = 0;
  response.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_RESPONSE_BYTES) response.destroy();
  });
  response.on("end", done);
  response.on("close", done);
  response.on("error", done);
}

/** Resolves to null when the deadline passes; never rejects. */
function expiry(deadline: AbortSignal): Promise<null> {
  return new Promise((resolve) => {
    if (deadline.aborted) resolve(null);
    else deadline.addEventListener("abort", () => resolve(null), { once: true });
  });
}

function fromStatus(status: number, location: string | undefined): Result {
  if (status >= 200 && status < 300) return { ok: true, status, error: null };
  const redirect = status >= 300 && status < 400 && location !== undefined;
  return {
    ok: false,
    status,
    error: redirect ? `HTTP ${status}: redirect to ${location} not followed` : `HTTP ${status}`,
  };
}

function describeError(error: Error | null, deadline: AbortSignal, timeoutMs: number): string {
  if (deadline.aborted) return `timed out after ${timeoutMs} ms`;
  if (error === null) return "connection closed before a response";
  const code = (error as NodeJS.ErrnoException).code;
  return code === undefined ? `connection failed: ${error.message}` : `connection failed (${code}): ${error.message}`;
}

function failed(error: string): Result {
  return { ok: false, status: null, error };
}
