// Server-Sent Events replayed from the store's event log. The id of each event is its log id, so a
// client reconnecting with Last-Event-ID gets exactly the events after it: none lost, none twice.
// Written straight to Node's response, not through web streams, and kept alive by one shared timer:
// an idle stream is a socket and a few small objects, so one instance holds many waiting visitors.

import type { ServerResponse } from "node:http";
import type { HttpBindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Context } from "hono";
import type { Change } from "./changes";
import type { Deps } from "./deps";
import { securityHeadersFor } from "./security-headers";
import type { StoredEvent } from "./store/conversations";

/** How long a reader waits before reconnecting after a shutdown ended its stream. */
const RECONNECT_MS = 1000;

export interface EventStreamOptions {
  accountId: string;
  /** One conversation's events, or the whole account's when null. */
  conversationId: string | null;
  /** Replay events after this id; a fresh stream passes the newest id. */
  after: number;
  /** What the client sees of an event (null: skip it). */
  shape(event: StoredEvent): unknown | null;
  /** Called on every change to the account; return "end" to send `unavailable` and close. */
  onChange?(change: Change): Promise<"end" | void> | "end" | void;
  /** Asked at every heartbeat whether the reader may still read (session or ticket alive); false ends it. */
  stillAllowed?(): Promise<boolean> | boolean;
  /** Called once when the stream ends, however it ends: gives back its place (OpenStreams.admit). */
  release(): void;
  /** Headers beyond the security headers: the widget's CORS. */
  headers?: Readonly<Record<string, string>>;
  /** Whose typing this reader is told of: the other side's. Sent without an id: nothing to resume. */
  typingFrom?: "visitor" | "agent";
}

/** The id a client resumes from: the Last-Event-ID header, else null. Garbage counts as absent. */
export function lastEventId(c: Context): number | null {
  const raw = c.req.header("last-event-id");
  return raw !== undefined && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}

/**
 * Answers with the event stream, then events until the reader leaves. Hono's response is bypassed
 * (RESPONSE_ALREADY_SENT), so the headers are all said here: headers set on `c` would not be sent.
 */
export function streamEvents<E extends { Bindings: HttpBindings }>(
  c: Context<E>,
  deps: Deps,
  options: EventStreamOptions,
): Response {
  const res = c.env.outgoing;
  res.writeHead(200, {
    ...securityHeadersFor(c.req.path),
    ...options.headers,
    "Content-Type": "text/event-stream; charset=utf-8",
    // no-store: an event stream must not be cached, nor kept by a proxy.
    "Cache-Control": "no-store",
    "X-Accel-Buffering": "no",
  });
  res.flushHeaders();
  follow(res, deps, options);
  return RESPONSE_ALREADY_SENT;
}

/** Replays, then follows the account's changes until the reader leaves or is no longer allowed. */
function follow(res: ServerResponse, deps: Deps, options: EventStreamOptions): void {
  let last = options.after;
  let chain = Promise.resolve();
  let ended = false;
  const write = (text: string) => {
    if (!res.writableEnded && !res.destroyed) res.write(text);
  };
  const flush = () => {
    chain = chain
      .then(() => sendAfter(write, deps, options, last, (id) => (last = id)))
      .catch(() => void res.destroy());
    return chain;
  };
  /** Ends the stream once what was queued is written, with a last word for the reader. */
  const close = async (lastWord: string) => {
    if (ended) return;
    ended = true;
    await chain;
    write(lastWord);
    res.end();
  };
  const stopListening = deps.streams.listen(options.accountId, (change) => {
    if (ended) return;
    const mine =
      change.type === "event" && (options.conversationId === null || change.conversationId === options.conversationId);
    if (mine || change.type === "resync") void flush();
    if (
      change.type === "typing" &&
      change.from === options.typingFrom &&
      (options.conversationId === null || change.conversationId === options.conversationId)
    ) {
      const data = JSON.stringify({ conversationId: change.conversationId, name: change.name });
      chain = chain.then(() => write(`event: typing\ndata: ${data}\n\n`));
    }
    void Promise.resolve(options.onChange?.(change)).then((verdict) =>
      verdict === "end" ? close("event: unavailable\ndata: {}\n\n") : undefined,
    );
  });
  // At shutdown: "come back in a second" and close, so the browser reconnects, behind a balancer to another instance.
  const stopFarewell = deps.streams.onShutdown(() => close(`retry: ${RECONNECT_MS}\n\n`));
  const stopBeating = deps.streams.heartbeat(deps.heartbeatMs, async () => {
    if (ended) return;
    if (options.stillAllowed && !(await options.stillAllowed())) return void close("event: unavailable\ndata: {}\n\n");
    write(": keep-alive\n\n");
  });
  res.once("close", () => {
    ended = true;
    stopListening();
    stopFarewell();
    stopBeating();
    options.release();
  });
  void flush();
}

async function sendAfter(
  write: (text: string) => void,
  deps: Deps,
  options: EventStreamOptions,
  after: number,
  advance: (id: number) => void,
) {
  let from = after;
  for (;;) {
    const events = await deps.conversations.eventsAfter(options.accountId, from, options.conversationId);
    for (const event of events) {
      const data = options.shape(event);
      // JSON has no raw line breaks, so the data is one `data:` line.
      if (data !== null) write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`);
      from = event.id;
      advance(from);
    }
    if (events.length < 500) return;
  }
}
