// The event streams open in this process: how many each holder keeps (capped, so one ticket,
// visitor, address or console session cannot take every file descriptor), how many all of them keep
// (capped below the process's descriptors, with room kept for the console), and the changes each
// account's streams hear, handed out by account so that a change costs only that account's streams.

import { ApiError } from "../http/errors";
import type { Change, Changes } from "./changes";

/**
 * Streams one holder may keep open at once. The widget needs one per tab; a reconnect may overlap
 * the stream it replaces for a moment; an office behind one address has several visitors.
 */
export const STREAM_CAPS = { ticket: 2, visitor: 5, address: 20, session: 5 } as const;

/** Who holds a stream: a kind of holder and its key (a ticket's signature, a visitor, an address, a session). */
export type StreamHolder = readonly [keyof typeof STREAM_CAPS, string];

/**
 * An open stream, as the registry sees it: told its account's changes, its heartbeat and the
 * shutdown. An object rather than three callbacks: an idle stream should cost as little as can be.
 */
export interface Follower {
  hear(change: Change): void;
  beat(): void;
  /** Tells the reader when to come back, and ends the stream. */
  farewell(): Promise<void>;
  /** Bytes written for its reader and not yet taken by its socket. */
  buffered(): number;
}

/** The share of the streams cap only the console's feeds may take: agents see their chats whatever visitors open. */
const CONSOLE_SHARE = 10;

/** How many of `maxStreams` visitors may hold: the rest is kept for the console's feeds, which may also take what visitors leave. */
export function visitorStreamCap(maxStreams: number): number {
  return maxStreams - Math.max(1, Math.floor(maxStreams / CONSOLE_SHARE));
}

export class OpenStreams {
  private readonly held = new Map<string, number>();
  private readonly followers = new Map<string, Set<Follower>>();
  /** One timer per heartbeat interval in use, however many streams beat to it. */
  private readonly beats = new Map<number, { timer: NodeJS.Timeout; hearts: Set<Follower> }>();
  private count = 0;
  /** Open streams not a console session's: at most visitorCap of them. */
  private visitors = 0;
  private closing = false;

  private readonly visitorCap: number;

  /**
   * `retryAfterS`: when a client refused for holding too many may try again (a dead stream is noticed
   * by then); `maxStreams`: how many this process holds at once, the console's feeds included.
   */
  constructor(
    changes: Changes,
    private readonly retryAfterS: number,
    private readonly maxStreams: number,
  ) {
    this.visitorCap = visitorStreamCap(maxStreams);
    // Handed on after every other subscriber has seen the change, whatever the order they subscribed
    // in: a stream that re-checks its visitor must find the policy cache already dropped.
    changes.subscribe((change) => queueMicrotask(() => this.dispatch(change)));
  }

  private dispatch(change: Change): void {
    if (change.type !== "resync")
      for (const follower of this.followers.get(change.accountId) ?? []) follower.hear(change);
    else for (const set of this.followers.values()) for (const follower of set) follower.hear(change);
  }

  /** Open streams in this process. */
  get size(): number {
    return this.count;
  }

  /** The most bytes one open stream holds for its reader (event-stream.ts bounds it). */
  mostBuffered(): number {
    let most = 0;
    for (const set of this.followers.values()) for (const follower of set) most = Math.max(most, follower.buffered());
    return most;
  }

  /**
   * Takes a stream's place under each holder, or throws and takes none: a 429 when a holder has its
   * share, a 503 when the process holds maxStreams, or a visitor's stream finds visitors at theirs.
   * Returns the release, safe to call twice.
   */
  admit(holders: readonly StreamHolder[]): () => void {
    const keys = holders.map(([kind, key]) => `${kind}:${key}`);
    for (const [i, [kind]] of holders.entries()) {
      if ((this.held.get(keys[i]!) ?? 0) >= STREAM_CAPS[kind]) {
        throw new ApiError(
          429,
          "too_many_streams",
          `Too many open event streams for this ${kind}: close one, or try again in ${this.retryAfterS} s.`,
          {
            headers: {
              "Retry-After": String(this.retryAfterS),
            },
          },
        );
      }
    }
    const visitor = !holders.some(([kind]) => kind === "session");
    if (this.count >= this.maxStreams || (visitor && this.visitors >= this.visitorCap)) {
      throw new ApiError(
        503,
        "busy",
        `This server holds as many event streams as it may: try again in ${this.retryAfterS} s.`,
        { headers: { "Retry-After": String(this.retryAfterS) } },
      );
    }
    for (const key of keys) this.held.set(key, (this.held.get(key) ?? 0) + 1);
    this.count++;
    if (visitor) this.visitors++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.count--;
      if (visitor) this.visitors--;
      for (const key of keys) {
        const left = (this.held.get(key) ?? 1) - 1;
        if (left === 0) this.held.delete(key);
        else this.held.set(key, left);
      }
    };
  }

  /** Tells `follower` the account's changes, and beats it every `heartbeatMs` on a timer shared by every stream of that interval, until unfollow(). */
  follow(accountId: string, follower: Follower, heartbeatMs: number): void {
    // A stream whose head went out as the shutdown began is told to come back like the others.
    if (this.closing) void follower.farewell().catch(() => undefined);
    let set = this.followers.get(accountId);
    if (set === undefined) this.followers.set(accountId, (set = new Set()));
    set.add(follower);
    let group = this.beats.get(heartbeatMs);
    if (group === undefined) {
      const hearts = new Set<Follower>();
      const timer = setInterval(() => {
        for (const heart of hearts) heart.beat();
      }, heartbeatMs);
      // A timer must not keep a process alive that has nothing else to do.
      timer.unref();
      this.beats.set(heartbeatMs, (group = { timer, hearts }));
    }
    group.hearts.add(follower);
  }

  /** Stops what follow() started; the same arguments. */
  unfollow(accountId: string, follower: Follower, heartbeatMs: number): void {
    const set = this.followers.get(accountId);
    set?.delete(follower);
    if (set?.size === 0) this.followers.delete(accountId);
    const group = this.beats.get(heartbeatMs);
    group?.hearts.delete(follower);
    if (group?.hearts.size !== 0) return;
    clearInterval(group.timer);
    this.beats.delete(heartbeatMs);
  }

  /** Ends every open stream, and any that opens from now on, each telling its reader when to come back (to another instance, behind a balancer). */
  async closeAll(): Promise<void> {
    this.closing = true;
    const all = [...this.followers.values()].flatMap((set) => [...set]);
    await Promise.all(all.map((follower) => follower.farewell().catch(() => undefined)));
  }
}
