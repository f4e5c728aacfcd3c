// Which addresses' new tickets need a proof of work: automatic protection challenges an address many
// browsers flooded from (protection.ts). Every ticket asks, so the answer "this account has no
// challenge running" is kept in memory and the store is asked only while one runs.

import type { Changes } from "../realtime/changes";
import type { ProtectionStore } from "../store/protection";

/** What this instance knows of one account: its challenges end by `until` (0: none), as read at `at`. */
interface Known {
  until: number;
  at: number;
}

export interface ChallengedAddresses {
  /** Makes new tickets from the address `key` need a proof of work until `until`. */
  challenge(accountId: string, key: string, until: number): Promise<void>;
  /** Whether tickets from the address `key` need a proof of work at `now`; without a promise when none can. */
  challenged(accountId: string, key: string, now: number): boolean | Promise<boolean>;
}

/**
 * Another instance's challenge reaches this one with the agents' notice that announces it (an
 * account event, published after the challenge is stored), or after `maxAgeMs` when a change can be
 * missed (Redis). One entry per account whose verdicts were asked: never one per visitor.
 */
export function challengedAddresses(
  store: ProtectionStore,
  changes: Changes,
  options: { maxAgeMs: number; clock: () => number },
): ChallengedAddresses {
  const known = new Map<string, Known>();
  // A read started before a change must not store what it read after it: each change moves this on.
  let generation = 0;
  const forget = (accountId: string | null) => {
    generation++;
    if (accountId === null) known.clear();
    else known.delete(accountId);
  };
  changes.subscribe((change) => {
    if (change.type === "resync") forget(null);
    else if (change.type === "event" && change.conversationId === null) forget(change.accountId);
  });

  async function read(accountId: string, key: string, now: number): Promise<boolean> {
    const started = generation;
    const at = options.clock();
    const until = await store.latestChallenge(accountId, now);
    if (started === generation) known.set(accountId, { until, at });
    return until > now && store.challenged(accountId, key, now);
  }

  return {
    async challenge(accountId, key, until) {
      await store.challenge(accountId, key, until);
      forget(accountId);
    },
    challenged(accountId, key, now) {
      const entry = known.get(accountId);
      const fresh = entry !== undefined && options.clock() - entry.at <= options.maxAgeMs;
      return fresh && entry.until <= now ? false : read(accountId, key, now);
    },
  };
}
