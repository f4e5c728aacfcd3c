// Each account's policy compiled once and kept in memory; a "policy" change drops the account's entry.
// Concurrent misses share one compile, so a burst of verdicts after a change compiles once; once
// loaded, peek() hands the policy out without a promise for the verdict's hot path.
// With many instances a change arrives through Redis, and a nudge can be lost; so a policy is also
// read again once it is `maxAgeMs` old (peek() keeps handing out the old one until the new is in),
// which bounds how long a missed change can go unseen.

import { compilePolicy, type CompiledPolicy } from "../policy/verdict";
import type { Changes } from "./changes";
import { ApiError } from "./errors";
import { ACCOUNT_ID } from "./store/accounts";
import type { PolicyStore } from "./store/policies";
import type { RuleStore } from "./store/rules";

export interface PolicyCache {
  /** The compiled policy, or null when the account does not exist. */
  get(accountId: string): Promise<CompiledPolicy | null>;
  /** The compiled policy if it is loaded already, else undefined: lets the verdict answer without a promise. */
  peek(accountId: string): CompiledPolicy | undefined;
}

export interface PolicyCacheOptions {
  /** How old a compiled policy may get before it is read again (Infinity: only changes renew it). */
  maxAgeMs: number;
  clock: () => number;
  /** Told of each policy compiled: what it reads (ASN data) can start loading before the first verdict asks. */
  compiled?: (policy: CompiledPolicy) => void;
}

export function createPolicyCache(
  policies: PolicyStore,
  rules: RuleStore,
  changes: Changes,
  { maxAgeMs, clock, compiled }: PolicyCacheOptions,
): PolicyCache {
  const cache = new Map<string, Promise<CompiledPolicy | null>>();
  const loaded = new Map<string, CompiledPolicy>();
  const loadedAt = new Map<string, number>();
  const drop = (accountId: string) => {
    cache.delete(accountId);
    loaded.delete(accountId);
    loadedAt.delete(accountId);
  };
  changes.subscribe((change) => {
    if (change.type === "resync") for (const accountId of cache.keys()) drop(accountId);
    else if (change.type === "policy") drop(change.accountId);
  });
  /** Starts reading an old policy again; the old one serves until the new one is in (and on, if the read fails). */
  function renewIfOld(accountId: string): void {
    if (maxAgeMs === Number.POSITIVE_INFINITY) return;
    const at = loadedAt.get(accountId);
    if (at === undefined || clock() - at <= maxAgeMs) return;
    loadedAt.set(accountId, clock());
    cache.delete(accountId);
    void cached(accountId).catch(() => undefined);
  }
  async function load(accountId: string): Promise<CompiledPolicy | null> {
    const [stored, entries] = await Promise.all([policies.getPolicy(accountId), rules.entries(accountId, clock())]);
    if (!stored) return null;
    const policy = compilePolicy(stored.document, entries);
    compiled?.(policy);
    return policy;
  }
  function cached(accountId: string): Promise<CompiledPolicy | null> {
    let entry = cache.get(accountId);
    if (entry === undefined) {
      entry = load(accountId);
      cache.set(accountId, entry);
      // Neither a failed load nor an unknown account stays: names anyone can make up must not fill memory.
      const settled = entry;
      settled.then(
        (policy) => {
          // A change during the load has dropped this entry: its policy may be stale, so it is not kept.
          if (cache.get(accountId) !== settled) return;
          if (policy) {
            loaded.set(accountId, policy);
            loadedAt.set(accountId, clock());
          } else drop(accountId);
        },
        () => {
          if (cache.get(accountId) === settled) cache.delete(accountId);
        },
      );
    }
    return entry;
  }
  return {
    get(accountId) {
      renewIfOld(accountId);
      return cached(accountId);
    },
    peek(accountId) {
      renewIfOld(accountId);
      return loaded.get(accountId);
    },
  };
}

/** The policy of the account a visitor names, or null when there is none; a name that cannot be an account is not even looked up. */
export function findPolicy(cache: PolicyCache, account: string): Promise<CompiledPolicy | null> {
  return ACCOUNT_ID.test(account) ? cache.get(account) : Promise.resolve(null);
}

/** findPolicy() without waiting: undefined while the policy is not loaded yet. */
export function peekPolicy(cache: PolicyCache, account: string): CompiledPolicy | null | undefined {
  return ACCOUNT_ID.test(account) ? cache.peek(account) : null;
}

/** A signed-in user's account policy, which exists since the account does: else a 404. */
export async function requirePolicy(cache: PolicyCache, accountId: string): Promise<CompiledPolicy> {
  const policy = await cache.get(accountId);
  if (!policy) throw new ApiError(404, "not_found", "This account has no policy.");
  return policy;
}
