// server/realtime/: what moves between instances and to open streams (changes, presence, typing, event
// streams); above the store it reads, below everything that announces a change.
// Server-Sent Events replayed from the store's event log. The id of each event is its log id, so a
// client reconnecting with Last-Event-ID gets exactly the events after it: none lost, none twice.
// Written straight to the socket, taken from node:http once the head is out (stream-sink.ts), and
// kept alive by one shared timer: an idle stream is a socket and a few small objects, so one
// instance holds many waiting visitors. A reader that does not keep up is written to no faster than
// it reads, and dropped once too far behind: it resumes with Last-Event-ID like any other.

import type { HttpBindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Context } from "hono";
import type { Deps } from "../deps";
import { eventStreamHeadersFor } from "../http/security-headers";
import type { StoredEvent } from "../store/conversations";
import type { Change } from "./changes";
import type { Follower } from "./open-streams";
import { openSink, type StreamSink } from "./stream-sink";
import { MAX_UNSENT_BYTES } from "../limits";

/** How long a reader waits before reconnecting after a shutdown ended its stream. */
const RECONNECT_MS = 1000;
/** How long an ended stream waits for its reader to take the last words and hang up, before it hangs up. */
const LINGER_MS = 1000;
/** How far ahead of its reader a stream writes before it waits for the socket to drain: a page read again after each drain goes further. */
const WRITE_AHEAD_BYTES = 256 * 1024;

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
  const headers = {
    ...eventStreamHeadersFor(c.req.path),
    ...options.headers,
    "Content-Type": "text/event-stream; charset=utf-8",
    // no-store: an event stream must not be cached, nor kept by a proxy.
    "Cache-Control": "no-store",
    "X-Accel-Buffering": "no",
  };
  // HEAD: Hono answers the head of the Response, so the head is all the reader gets and nothing is held.
  if (c.req.method === "HEAD") {
    options.release();
    return new Response(null, { headers });
  }
  void openSink(c.env.incoming, c.env.outgoing, headers, deps.config.streams).then((sink) =>
    sink === null ? options.release() : new EventStream(sink, deps, options).start(),
  );
  return RESPONSE_ALREADY_SENT;
}

const UNAVAILABLE = "event: unavailable\ndata: {}\n\n";
/** A comment, which every reader skips. */
const OPENED = ": open\n\n";

/**
 * One open stream: replays, then follows the account's changes until the reader leaves or may no
 * longer read. Its state is in fields, not in a dozen closures: an idle stream is this object, its
 * socket and its places in OpenStreams (each closure costs a context, and a name under tsx).
 *
 * Backpressure: events are written up to WRITE_AHEAD_BYTES ahead of the reader, then the stream
 * waits for the socket to drain and reads on from the last event written (the rest of a page is not
 * kept: it is in the store). Keep-alives and typing are skipped meanwhile. The events that arrive
 * while it waits are counted, not kept; past MAX_UNSENT_BYTES without a drain the reader is dropped.
 */
class EventStream implements Follower {
  /** The last event written (or shaped away): where reading goes on from. */
  private last: number;
  /** The newest event read or counted: what arrives after it, while the socket is backed up, is owed. */
  private seen: number;
  /** Bytes of the events that arrived since the socket backed up. */
  private owed = 0;
  private waitingForDrain = false;
  private chain = Promise.resolve();
  private ended = false;

  constructor(
    private readonly socket: StreamSink,
    private readonly deps: Deps,
    private readonly options: EventStreamOptions,
  ) {
    this.last = options.after;
    this.seen = options.after;
  }

  /** Replays what the reader missed, and follows from there until the socket closes. */
  start(): void {
    this.deps.streams.follow(this.options.accountId, this, this.deps.heartbeatMs);
    this.socket.on("close", () => this.left());
    // A first byte at once: a proxy speaking HTTP/2 to the browser (nginx) holds the head until the
    // body's first byte, and the reader would not know the stream is open until the next heartbeat.
    this.say(OPENED);
    void this.flush(null);
  }

  hear(change: Change): void {
    if (this.ended) return;
    const { conversationId, typingFrom, onChange } = this.options;
    const mine = change.type === "event" && (conversationId === null || change.conversationId === conversationId);
    if (mine) void this.flush(change.eventId);
    else if (change.type === "resync") void this.flush(null);
    if (
      change.type === "typing" &&
      change.from === typingFrom &&
      (conversationId === null || change.conversationId === conversationId)
    ) {
      const data = JSON.stringify({ conversationId: change.conversationId, name: change.name });
      this.chain = this.chain.then(() => this.write(`event: typing\ndata: ${data}\n\n`));
    }
    if (onChange)
      void Promise.resolve()
        .then(() => onChange(change))
        .then((verdict) => (verdict === "end" ? this.close(UNAVAILABLE) : undefined), this.unsure);
  }

  beat(): void {
    if (!this.ended) void this.checkAndBeat().catch(this.unsure);
  }

  buffered(): number {
    return this.socket.writableLength;
  }

  /** At shutdown: "come back in a second" and close, so the browser reconnects, behind a balancer to another instance. */
  farewell(): Promise<void> {
    return this.close(`retry: ${RECONNECT_MS}\n\n`);
  }

  /**
   * A check the store could not answer (its connection lost, a shutdown closing it) ends the stream as a
   * shutdown does: the reader comes back and is checked afresh. Left unhandled, the rejection would end
   * the process.
   */
  private readonly unsure = (): Promise<void> => this.farewell();

  private async checkAndBeat(): Promise<void> {
    const { stillAllowed } = this.options;
    if (stillAllowed && !(await stillAllowed())) return this.close(UNAVAILABLE);
    this.write(": keep-alive\n\n");
  }

  /** Writes what may be skipped (a keep-alive, typing) when the reader has not taken what it was sent. */
  private write(text: string): void {
    if (!this.socket.writableNeedDrain) this.say(text);
  }

  private say(text: string): void {
    if (!this.socket.writableEnded && !this.socket.destroyed) this.socket.write(text);
  }

  private backedUp(): boolean {
    return this.socket.writableLength > WRITE_AHEAD_BYTES;
  }

  /** Sends the events after the last written, or while the socket is backed up counts the one `heard` (and any after it). */
  private flush(heard: number | null): Promise<void> {
    this.chain = this.chain
      .then(() => (this.backedUp() ? this.count(heard) : this.sendAfter()))
      .catch(() => void this.socket.destroy());
    return this.chain;
  }

  /** Ends the stream once what was queued is written, with a last word for the reader. */
  private async close(lastWord: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.chain;
    this.say(lastWord);
    // A reader that neither reads nor hangs up must not hold a shutdown: after LINGER_MS idle, it is cut.
    this.socket.setTimeout(LINGER_MS, () => this.socket.destroy());
    this.socket.end();
  }

  private left(): void {
    this.ended = true;
    this.deps.streams.unfollow(this.options.accountId, this, this.deps.heartbeatMs);
    this.options.release();
  }

  /** Writes the stored events after the last one written, 500 at a time, until done or the socket backs up. */
  private async sendAfter(): Promise<void> {
    const { deps, options } = this;
    for (;;) {
      const events = await deps.conversations.eventsAfter(options.accountId, this.last, options.conversationId);
      this.seen = Math.max(this.seen, events.at(-1)?.id ?? 0);
      for (const event of events) {
        // The reader left, or has not taken what it was sent: the rest is read again at the drain.
        if (this.socket.destroyed) return;
        if (this.backedUp()) return this.waitForDrain();
        const data = options.shape(event);
        if (data !== null) this.say(frame(event, data));
        this.last = event.id;
      }
      if (events.length < 500) return;
    }
  }

  private waitForDrain(): void {
    if (this.waitingForDrain) return;
    this.waitingForDrain = true;
    this.socket.once("drain", () => {
      this.waitingForDrain = false;
      this.owed = 0;
      void this.flush(null);
    });
  }

  /** Counts the bytes of the events from `heard` on that are not counted yet; past MAX_UNSENT_BYTES the reader is dropped. */
  private async count(heard: number | null): Promise<void> {
    this.waitForDrain();
    if (heard === null || heard <= this.seen) return;
    const { deps, options } = this;
    const events = await deps.conversations.eventsAfter(
      options.accountId,
      Math.max(this.seen, heard - 1),
      options.conversationId,
    );
    for (const event of events) {
      const data = options.shape(event);
      if (data !== null) this.owed += Buffer.byteLength(frame(event, data));
      this.seen = Math.max(this.seen, event.id);
    }
    if (this.owed + this.socket.writableLength <= MAX_UNSENT_BYTES) return;
    this.ended = true;
    this.socket.destroy();
  }
}

/** An event as the stream writes it: JSON has no raw line breaks, so the data is one `data:` line. */
function frame(event: StoredEvent, data: unknown): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`;
}
