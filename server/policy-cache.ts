// Each account's policy compiled once and kept in memory; a "policy" change drops the account's entry.
// Concurrent misses share one compile, so a burst of verdicts after a change compiles once.

import { compilePolicy, type CompiledPolicy } from "../policy/verdict";
import type { Changes } from "./changes";
import type { PolicyStore } from "./store/policies";

export interface PolicyCache {
  /** The compiled policy, or null when the account does not exist. */
  get(accountId: string): Promise<CompiledPolicy | null>;
}

export function createPolicyCache(policies: PolicyStore, changes: Changes): PolicyCache {
  const cache = new Map<string, Promise<CompiledPolicy | null>>();
  changes.subscribe((change) => {
    if (change.type === "policy") cache.delete(change.accountId);
  });
  async function load(accountId: string): Promise<CompiledPolicy | null> {
    const [stored, rules] = await Promise.all([policies.getPolicy(accountId), policies.matchableRules(accountId)]);
    return stored ? compilePolicy(stored.document, rules) : null;
  }
  return {
    get(accountId) {
      let entry = cache.get(accountId);
      if (entry === undefined) {
        entry = load(accountId);
        cache.set(accountId, entry);
        // A failed load must not stick.
        entry.catch(() => cache.delete(accountId));
      }
      return entry;
    },
  };
}
