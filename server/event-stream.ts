// Server-Sent Events replayed from the store's event log. The id of each event is its log id, so a
// client reconnecting with Last-Event-ID gets exactly the events after it: none lost, none twice.

import type { Context } from "hono";
import { streamSSE, type SSEStreamingApi } from "hono/streaming";
import type { Change } from "./changes";
import type { Deps } from "./deps";
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
  shape(event: StoredEvent): Promise<unknown | null> | unknown | null;
  /** Called on every change to the account; return "end" to send `unavailable` and close. */
  onChange?(change: Change): Promise<"end" | void> | "end" | void;
  /** Asked at every heartbeat whether the reader may still read (session or ticket alive); false ends it. */
  stillAllowed?(): Promise<boolean> | boolean;
  /** Called once when the stream ends, however it ends: gives back its place (OpenStreams.admit). */
  release(): void;
}


/** The id a client resumes from: the Last-Event-ID header, else null. Garbage counts as absent. */
export function lastEventId(c: Context): number | null {
  const raw = c.req.header("last-event-id");
  return raw !== undefined && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}

export function streamEvents(c: Context, deps: Deps, options: EventStreamOptions): Response {
  c.header("X-Accel-Buffering", "no");
  const response = streamSSE(c, async (stream) => {
    try {
      await follow(stream, deps, options);
    } finally {
      options.release();
    }
  });
  // streamSSE sets no-cache; an event stream must not be stored either.
  response.headers.set("Cache-Control", "no-store");
  return response;
}

/** Replays, then follows the account's changes until the reader leaves or is no longer allowed. */
async function follow(stream: SSEStreamingApi, deps: Deps, options: EventStreamOptions): Promise<void> {
  let last = options.after;
  let chain = Promise.resolve();
  let ended = false;
  let finish = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  stream.onAbort(() => finish());
  const flush = () => {
    chain = chain.then(() => sendAfter(stream, deps, options, last, (id) => (last = id))).catch(() => stream.abort());
    return chain;
  };
  const end = async () => {
    ended = true;
    await chain;
    await stream.writeSSE({ event: "unavailable", data: "{}" }).catch(() => undefined);
    await stream.close();
    finish();
  };
  const unsubscribe = deps.streams.listen(options.accountId, (change) => {
    if (ended) return;
    const mine = change.type === "event" && (options.conversationId === null || change.conversationId === options.conversationId);
    if (mine || change.type === "resync") void flush();
    void Promise.resolve(options.onChange?.(change)).then((verdict) => (verdict === "end" && !ended ? end() : undefined));
  });
  // At shutdown: "come back in a second" and close, so the browser reconnects, behind a balancer to another instance.
  const leave = deps.streams.onShutdown(async () => {
    ended = true;
    await chain;
    await stream.write(`retry: ${RECONNECT_MS}\n\n`);
    await stream.close();
    finish();
  });
  const heartbeat = setInterval(async () => {
    if (ended) return;
    if (options.stillAllowed && !(await options.stillAllowed())) return void end();
    stream.write(": keep-alive\n\n").catch(() => stream.abort());
  }, deps.heartbeatMs);
  await flush();
  await done;
  clearInterval(heartbeat);
  unsubscribe();
  leave();
}

async function sendAfter(stream: SSEStreamingApi, deps: Deps, options: EventStreamOptions, after: number, advance: (id: number) => void) {
  let from = after;
  for (;;) {
    const events = await deps.conversations.eventsAfter(options.accountId, from, options.conversationId);
    for (const event of events) {
      const data = await options.shape(event);
      if (data !== null) await stream.writeSSE({ id: String(event.id), event: event.type, data: JSON.stringify(data) });
      from = event.id;
      advance(from);
    }
    if (events.length < 500) return;
  }
}
