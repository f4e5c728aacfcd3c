// Each account's policy compiled once, kept in memory, and kept up to date change by change.
// A rule change is applied to the compiled rules as it is: the store's audit log says which rules
// were added and removed since the last change applied, those few are read by id and added to (or
// taken out of) the matchers, and nothing else is read or compiled. That is the cheapest of the
// ways not to stall the instance: a ban at 100k rules costs a few small queries, where compiling
// the 100k again, even in slices or on another thread, costs ~0.5 s of a core per ban, and an
// attack's bans come many a minute. The full compile (an account's first verdict, or after
// COMPILE_AFTER_CHANGES changes) reads the rules a batch at a time, letting other requests in
// between; the compile itself is one piece (0.15–0.3 s at 100k rules), which only those moments pay.
// Concurrent misses share one load; peek() hands the policy out without a promise for the verdict's
// hot path, and nothing while a change told here is being applied, so no verdict after a ban is
// answered from the policy before it. With many instances a change arrives through Redis and a
// nudge can be lost, so a policy also catches up once it is `maxAgeMs` old (peek() keeps handing
// out the old one meanwhile), which bounds how long a missed change can go unseen.

import { setImmediate as nextTurn } from "node:timers/promises";
import { compileRules, type CompiledRules, type RuleEntry } from "../../policy/rules";
import { compilePolicyWith, type CompiledPolicy } from "../../policy/verdict";
import { ApiError } from "../http/errors";
import type { Changes } from "../realtime/changes";
import { ACCOUNT_ID } from "../store/accounts";
import type { PolicyStore, StoredPolicy } from "../store/policies";
import type { RuleStore } from "../store/rules";

export interface PolicyCache {
  /** The compiled policy, or null when the account does not exist. */
  get(accountId: string): Promise<CompiledPolicy | null>;
  /** The compiled policy if it is loaded already, else undefined: lets the verdict answer without a promise. */
  peek(accountId: string): CompiledPolicy | undefined;
}

export interface PolicyCacheOptions {
  /** How old a compiled policy may get before it catches up with the store (Infinity: only changes do). */
  maxAgeMs: number;
  clock: () => number;
  /** Told of each policy compiled: what it reads (ASN data) can start loading before the first verdict asks. */
  compiled?: (policy: CompiledPolicy) => void;
}

/** Rules a full compile reads per query: a few milliseconds of SQLite's thread each. */
const LOAD_BATCH_RULES = 2_000;
/** Rule changes a catch-up reads and applies at a time, with a turn of the event loop between. */
const CATCH_UP_CHANGES = 2_000;
/**
 * Rules added or removed since the full compile past which a catch-up compiles afresh. Added rules
 * sit beside the compiled table (a hash probe per prefix length in use, whatever their number) and
 * removed ones are skipped by id, so this is about memory: a long attack's bans, whose oldest give
 * way, would otherwise be held twice. Each full compile holds the instance ~0.2 s at 100k rules.
 */
const COMPILE_AFTER_CHANGES = 50_000;

/** A compiled policy and what it was compiled from. */
interface Held {
  policy: CompiledPolicy;
  rules: CompiledRules;
  /** The store's mark of the last rule change applied. */
  mark: number;
  /** The document's version. */
  version: number;
  /** Rules added or removed since the full compile. */
  changes: number;
}

/** One account's entry. */
interface Slot {
  /** The policy with every change told so far applied: the load or catch-up in progress, or done. */
  latest: Promise<Held | null>;
  /** What peek() hands out: undefined while a change told here is being applied. */
  current: Held | undefined;
  /** When the policy last caught up (or loaded), for `maxAgeMs`. */
  at: number;
  /** A catch-up is waiting for the one before it: it will read whatever a new change brings too. */
  queued: boolean;
}

export function createPolicyCache(
  policies: PolicyStore,
  rules: RuleStore,
  changes: Changes,
  { maxAgeMs, clock, compiled }: PolicyCacheOptions,
): PolicyCache {
  const slots = new Map<string, Slot>();

  async function load(accountId: string): Promise<Held | null> {
    // Taken before the rules are read: a change made during the read is applied again after, harmlessly.
    const mark = await rules.changeMark(accountId);
    const stored = await policies.getPolicy(accountId);
    if (!stored) return null;
    const entries: RuleEntry[] = [];
    for await (const batch of rules.entryBatches(accountId, clock(), LOAD_BATCH_RULES)) {
      entries.push(...batch);
      // SQLite answers at once: without a turn of the event loop between batches, nothing else runs.
      await nextTurn();
    }
    return made(stored, compileRules(entries), mark, 0);
  }

  /** Applies the rule changes made since `held` was, and the document as it is now. */
  async function catchUp(accountId: string, held: Held): Promise<Held | null> {
    const stored = await policies.getPolicy(accountId);
    if (!stored) return null;
    let { mark, changes: count } = held;
    for (;;) {
      const since = await rules.changesSince(accountId, mark, CATCH_UP_CHANGES);
      count += since.added.length + since.removed.length;
      if (count > COMPILE_AFTER_CHANGES) return load(accountId);
      held.rules.add(await rules.entriesById(accountId, since.added));
      held.rules.remove(since.removed);
      mark = since.mark;
      if (!since.more) break;
      await nextTurn();
    }
    // Nothing new (the echo of a change through Redis, or a renewal): the policy stays as it is.
    if (count === held.changes && stored.version === held.version) return held;
    return made(stored, held.rules, mark, count);
  }

  function made(stored: StoredPolicy, compiledRules: CompiledRules, mark: number, count: number): Held {
    const policy = compilePolicyWith(stored.document, compiledRules);
    compiled?.(policy);
    return { policy, rules: compiledRules, mark, version: stored.version, changes: count };
  }

  /** Makes `latest` the slot's newest state; once it is in (and still the newest), peek() hands it out. */
  function track(accountId: string, slot: Slot, latest: Promise<Held | null>): void {
    slot.latest = latest;
    latest.then(
      (held) => {
        if (slots.get(accountId) !== slot || slot.latest !== latest) return;
        // An unknown account is not remembered: names anyone can make up must not fill memory.
        if (held === null) slots.delete(accountId);
        else slot.current = held;
      },
      () => {
        if (slots.get(accountId) !== slot || slot.latest !== latest) return;
        // The policy a renewal failed to catch up serves on (and tries again at the next renewal);
        // with none to serve, a failed read is not kept and the next call loads afresh.
        if (slot.current) slot.latest = Promise.resolve(slot.current);
        else slots.delete(accountId);
      },
    );
  }

  /**
   * Catches the slot up after what it has in progress; `told` (a change told here) hides the old
   * policy meanwhile. A burst of changes costs one catch-up, not one each.
   */
  function renew(accountId: string, slot: Slot, told: boolean): void {
    if (told) slot.current = undefined;
    slot.at = clock();
    if (slot.queued) return;
    slot.queued = true;
    const next = (held: Held | null) => {
      slot.queued = false;
      return held === null ? load(accountId) : catchUp(accountId, held);
    };
    track(
      accountId,
      slot,
      slot.latest.then(next, () => next(null)),
    );
  }

  changes.subscribe((change) => {
    if (change.type === "resync") for (const [accountId, slot] of slots) renew(accountId, slot, true);
    else if (change.type === "policy") {
      const slot = slots.get(change.accountId);
      if (slot) renew(change.accountId, slot, true);
    }
  });

  function slotOf(accountId: string): Slot {
    let slot = slots.get(accountId);
    if (slot === undefined) {
      slot = { latest: Promise.resolve(null), current: undefined, at: clock(), queued: false };
      slots.set(accountId, slot);
      track(accountId, slot, load(accountId));
    } else if (maxAgeMs !== Number.POSITIVE_INFINITY && slot.current && clock() - slot.at > maxAgeMs) {
      renew(accountId, slot, false);
    }
    return slot;
  }

  return {
    async get(accountId) {
      return (await slotOf(accountId).latest)?.policy ?? null;
    },
    peek(accountId) {
      return slots.has(accountId) ? slotOf(accountId).current?.policy : undefined;
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
