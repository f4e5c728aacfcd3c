// The event streams open in this process: how many each holder keeps (capped, so one ticket,
// visitor, address or console session cannot take every file descriptor), and the changes each
// account's streams hear, handed out by account so that a change costs only that account's streams.

import type { Change, Changes } from "./changes";
import { ApiError } from "./errors";

/**
 * Streams one holder may keep open at once. The widget needs one per tab; a reconnect may overlap
 * the stream it replaces for a moment; an office behind one address has several visitors.
 */
export const STREAM_CAPS = { ticket: 2, visitor: 5, address: 20, session: 5 } as const;

/** Who holds a stream: a kind of holder and its key (a ticket's signature, a visitor, an address, a session). */
export type StreamHolder = readonly [keyof typeof STREAM_CAPS, string];

type Listener = (change: Change) => void;

export class OpenStreams {
  private readonly held = new Map<string, number>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly farewells = new Set<() => Promise<void>>();
  /** One timer per heartbeat interval in use, however many streams beat to it. */
  private readonly beats = new Map<number, { timer: NodeJS.Timeout; hearts: Set<() => void> }>();
  private count = 0;

  /** `retryAfterS`: when a client refused for holding too many may try again (a dead stream is noticed by then). */
  constructor(
    changes: Changes,
    private readonly retryAfterS: number,
  ) {
    // Handed on after every other subscriber has seen the change, whatever the order they subscribed
    // in: a stream that re-checks its visitor must find the policy cache already dropped.
    changes.subscribe((change) => queueMicrotask(() => this.dispatch(change)));
  }

  private dispatch(change: Change): void {
    if (change.type !== "resync") for (const listener of this.listeners.get(change.accountId) ?? []) listener(change);
    else for (const set of this.listeners.values()) for (const listener of set) listener(change);
  }

  /** Open streams in this process. */
  get size(): number {
    return this.count;
  }

  /** Takes a stream's place under each holder, or throws a 429 and takes none; returns the release, safe to call twice. */
  admit(holders: readonly StreamHolder[]): () => void {
    const keys = holders.map(([kind, key]) => `${kind}:${key}`);
    for (const [i, [kind]] of holders.entries()) {
      if ((this.held.get(keys[i]!) ?? 0) >= STREAM_CAPS[kind]) {
        throw new ApiError(
          429,
          "too_many_streams",
          `Too many open event streams for this ${kind}: close one, or try again in ${this.retryAfterS} s.`,
          undefined,
          {
            "Retry-After": String(this.retryAfterS),
          },
        );
      }
    }
    for (const key of keys) this.held.set(key, (this.held.get(key) ?? 0) + 1);
    this.count++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.count--;
      for (const key of keys) {
        const left = (this.held.get(key) ?? 1) - 1;
        if (left === 0) this.held.delete(key);
        else this.held.set(key, left);
      }
    };
  }

  /** Calls `beat` every `intervalMs` on a timer shared with every other stream of that interval; the returned function stops it. */
  heartbeat(intervalMs: number, beat: () => void): () => void {
    let group = this.beats.get(intervalMs);
    if (group === undefined) {
      const hearts = new Set<() => void>();
      const timer = setInterval(() => {
        for (const heart of hearts) heart();
      }, intervalMs);
      // A timer must not keep a process alive that has nothing else to do.
      timer.unref();
      this.beats.set(intervalMs, (group = { timer, hearts }));
    }
    const { hearts, timer } = group;
    hearts.add(beat);
    return () => {
      hearts.delete(beat);
      if (hearts.size > 0) return;
      clearInterval(timer);
      this.beats.delete(intervalMs);
    };
  }

  /** Registers how a stream says goodbye at shutdown; the returned function unregisters it. */
  onShutdown(farewell: () => Promise<void>): () => void {
    this.farewells.add(farewell);
    return () => this.farewells.delete(farewell);
  }

  /** Ends every open stream, each telling its reader when to come back (to another instance, behind a balancer). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.farewells].map((farewell) => farewell().catch(() => undefined)));
  }

  /** Hears the account's changes until the returned function is called. */
  listen(accountId: string, listener: Listener): () => void {
    let set = this.listeners.get(accountId);
    if (set === undefined) this.listeners.set(accountId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(accountId) === set) this.listeners.delete(accountId);
    };
  }
}
