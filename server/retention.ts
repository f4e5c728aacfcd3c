// The retention sweep (issue #29): each account's closed chats past its clock deleted with their files
// (open consoles drop them), and addresses past theirs kept as networks, counted in the metrics and
// audited. It runs at start and hourly, on one instance at a time, in bounded batches that let the
// instance serve between them.

import { setImmediate as nextTurn } from "node:timers/promises";
import { retentionOf } from "../policy/schema";
import type { Deps } from "./deps";
import { dropRemovedChats } from "./realtime/chats-removed";

const SWEEP_EVERY_MS = 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/**
 * Batches per account and kind in one run: a first sweep over years of data spreads over a few hours
 * (10,000 chats an hour per account) rather than holding the store for minutes.
 */
const MAX_BATCHES = 50;

/** What one run took away, over all accounts. */
export interface RetentionRun {
  chats: number;
  messages: number;
  files: number;
  /** Chats, events and audit entries whose addresses became networks. */
  addresses: number;
}

/** Asked between batches: false once the server is stopping, and the run ends where it is. */
type Going = () => boolean;

/** Sweeps every account once; null when another instance's sweep is running (it does the work). */
export async function sweepRetention(deps: Deps, going: Going = () => true): Promise<RetentionRun | null> {
  return deps.retention.alone(async () => {
    const run: RetentionRun = { chats: 0, messages: 0, files: 0, addresses: 0 };
    for (const accountId of await deps.retention.accountIds()) {
      if (!going()) break;
      // One account's failure (a chat written as it goes) is the next run's to retry, not the others' to wait for.
      await sweepAccount(deps, accountId, run, going).catch((error: unknown) =>
        deps.log.error({ err: error, account: accountId }, "retention could not sweep an account"),
      );
    }
    return run;
  });
}

async function sweepAccount(deps: Deps, accountId: string, run: RetentionRun, going: Going): Promise<void> {
  // The stored document, not the compiled policy: a dormant account's rules need not be loaded for this.
  const stored = await deps.policies.getPolicy(accountId);
  if (!stored) return;
  const { deleteClosedChatsAfterDays, anonymizeAddressesAfterDays } = retentionOf(stored.document);
  if (deleteClosedChatsAfterDays !== null) await deleteClosed(deps, accountId, deleteClosedChatsAfterDays, run, going);
  if (anonymizeAddressesAfterDays !== null) await anonymize(deps, accountId, anonymizeAddressesAfterDays, run, going);
}

async function deleteClosed(deps: Deps, accountId: string, days: number, run: RetentionRun, going: Going) {
  for (let batch = 0; batch < MAX_BATCHES && going(); batch++) {
    const removed = await deps.retention.deleteClosedBefore(accountId, deps.now() - days * DAY_MS, deps.now());
    if (removed.conversationIds.length === 0) return;
    await dropRemovedChats(deps, accountId, removed);
    const counts = { chats: removed.conversationIds.length, messages: removed.messages, files: removed.fileIds.length };
    for (const [what, count] of Object.entries(counts)) {
      run[what as keyof typeof counts] += count;
      deps.metrics.retained.inc({ what }, count);
    }
    await nextTurn();
  }
}

async function anonymize(deps: Deps, accountId: string, days: number, run: RetentionRun, going: Going) {
  for (let batch = 0; batch < MAX_BATCHES && going(); batch++) {
    const { anonymized, seen } = await deps.retention.anonymizeBefore(accountId, deps.now() - days * DAY_MS);
    if (seen === 0) return;
    run.addresses += anonymized;
    deps.metrics.retained.inc({ what: "addresses" }, anonymized);
    await nextTurn();
  }
}

/**
 * Sweeps now and every hour until stopped; a failed run is logged and the next one tries again.
 * Stopping ends a run under way at its next batch, and waits for that, so the store is not closed under it.
 */
export function startRetention(deps: Deps): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  let stopping = false;
  const going = () => !stopping;
  const sweep = () => {
    // A run still going when the hour comes (a slow first sweep) is left to finish alone.
    running ??= sweepRetention(deps, going)
      .catch((error: unknown) => deps.log.error({ err: error }, "the retention sweep failed"))
      .finally(() => (running = null));
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  return async () => {
    stopping = true;
    clearInterval(timer);
    await running;
  };
}
