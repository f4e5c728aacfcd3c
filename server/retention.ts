// The retention sweep (issue #29): each account's closed chats past its clock deleted with their files
// (open consoles drop them), and addresses past theirs kept as networks, counted in the metrics and
// audited. It runs at start and hourly, on one instance at a time, in bounded batches.

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

/** Sweeps every account once; null when another instance's sweep is running (it does the work). */
export async function sweepRetention(deps: Deps): Promise<RetentionRun | null> {
  return deps.retention.alone(async () => {
    const run: RetentionRun = { chats: 0, messages: 0, files: 0, addresses: 0 };
    for (const accountId of await deps.retention.accountIds()) await sweepAccount(deps, accountId, run);
    for (const [what, count] of Object.entries(run)) if (count > 0) deps.metrics.retained.inc({ what }, count);
    return run;
  });
}

async function sweepAccount(deps: Deps, accountId: string, run: RetentionRun): Promise<void> {
  const policy = await deps.policyCache.get(accountId);
  if (!policy) return;
  const { deleteClosedChatsAfterDays, anonymizeAddressesAfterDays } = policy.retention;
  if (deleteClosedChatsAfterDays !== null) await deleteClosed(deps, accountId, deleteClosedChatsAfterDays, run);
  if (anonymizeAddressesAfterDays !== null) await anonymize(deps, accountId, anonymizeAddressesAfterDays, run);
}

async function deleteClosed(deps: Deps, accountId: string, days: number, run: RetentionRun): Promise<void> {
  const deleted = { chats: 0, messages: 0, files: 0 };
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const removed = await deps.retention.deleteClosedBefore(accountId, deps.now() - days * DAY_MS);
    if (removed.conversationIds.length === 0) break;
    await dropRemovedChats(deps, accountId, removed);
    deleted.chats += removed.conversationIds.length;
    deleted.messages += removed.messages;
    deleted.files += removed.fileIds.length;
  }
  if (deleted.chats === 0) return;
  await deps.retention.recordDeletion(accountId, deleted, deps.now());
  run.chats += deleted.chats;
  run.messages += deleted.messages;
  run.files += deleted.files;
}

async function anonymize(deps: Deps, accountId: string, days: number, run: RetentionRun): Promise<void> {
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const changed = await deps.retention.anonymizeBefore(accountId, deps.now() - days * DAY_MS);
    if (changed === 0) return;
    run.addresses += changed;
  }
}

/**
 * Sweeps now and every hour until stopped; a failed run is logged and the next one tries again.
 * Stopping waits for a run under way, so the store is not closed under it.
 */
export function startRetention(deps: Deps): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const sweep = () => {
    // A run still going when the hour comes (a slow first sweep) is left to finish alone.
    running ??= sweepRetention(deps)
      .catch((error: unknown) => deps.log.error({ err: error }, "the retention sweep failed"))
      .finally(() => (running = null));
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
