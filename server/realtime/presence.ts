// What this instance knows of each account's presence: whether any agent is online, read from the
// store at most every few seconds and at once when any instance says it changed, so the verdict asks
// a Map and never the store. Consoles report themselves connected as their event streams beat.

import type { User } from "../store/accounts";
import { OFFLINE_AFTER_MS, type PresenceStore } from "../store/presence";
import type { Changes } from "./changes";

/** A cached answer older than this is read again (the old one serves meanwhile). */
const REFRESH_MS = 10_000;
/** A connected console is recorded at most this often: the store sees a heartbeat a minute from each. */
const TOUCH_MS = 30_000;

export interface Presence {
  /** Whether any agent of the account is online, as last read; undefined before the first read. No promise: the verdict's path. */
  online(accountId: string): boolean | undefined;
  /** Reads it from the store now. */
  refresh(accountId: string): Promise<boolean>;
  /** A console of `user` is connected. */
  connected(user: Pick<User, "id" | "account_id">): Promise<void>;
  /** `user` chose to be online or away. */
  choose(user: Pick<User, "id" | "account_id">, status: "online" | "away"): Promise<void>;
}

export function createPresence(store: PresenceStore, changes: Changes, clock: () => number): Presence {
  // One entry per account that asked: bounded by the accounts that exist, as callers ask only for those.
  const known = new Map<string, { online: boolean; at: number }>();
  const reading = new Map<string, Promise<boolean>>();
  const touched = new Map<string, { at: number; done: Promise<void> }>();

  function refresh(accountId: string): Promise<boolean> {
    let read = reading.get(accountId);
    if (read === undefined) {
      read = store
        .anyoneOnline(accountId, clock())
        .then(
          (online) => {
            known.set(accountId, { online, at: clock() });
            return online;
          },
          (error: unknown) => {
            // A failed read waits REFRESH_MS like a good one, the last answer serving (unknown shows the chat).
            known.set(accountId, { online: known.get(accountId)?.online ?? true, at: clock() });
            throw error;
          },
        )
        .finally(() => reading.delete(accountId));
      reading.set(accountId, read);
      // Whoever awaits it handles a failure; a page view's refresh has no one waiting.
      read.catch(() => undefined);
    }
    return read;
  }

  changes.subscribe((change) => {
    if (change.type === "presence") void refresh(change.accountId);
    if (change.type === "resync") for (const accountId of known.keys()) void refresh(accountId);
  });

  return {
    online(accountId) {
      const entry = known.get(accountId);
      // At most one read at a time: a page view during a read costs a Map lookup, not a promise.
      if ((entry === undefined || clock() - entry.at > REFRESH_MS) && !reading.has(accountId)) void refresh(accountId);
      return entry?.online;
    },
    refresh,
    async connected(user) {
      const now = clock();
      const last = touched.get(user.id);
      // Recorded lately (or being recorded): wait for that write, so a read after this sees it.
      if (last !== undefined && now - last.at < TOUCH_MS) return last.done;
      const done = store.seen(user, now).then(() => {
        // Back after being offline: every instance should know at once, not at its next read.
        if (last === undefined || now - last.at >= OFFLINE_AFTER_MS)
          changes.publish({ type: "presence", accountId: user.account_id });
      });
      const entry = {
        at: now,
        // A failed write is forgotten, so the next beat tries again rather than in 30 s.
        done: done.catch(() => {
          if (touched.get(user.id) === entry) touched.delete(user.id);
        }),
      };
      touched.set(user.id, entry);
      return done;
    },
    async choose(user, status) {
      const now = clock();
      const done = store.choose(user, status, now);
      touched.set(user.id, { at: now, done: done.catch(() => undefined) });
      await done;
      changes.publish({ type: "presence", accountId: user.account_id });
    },
  };
}
