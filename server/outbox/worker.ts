// Sends what the outbox holds: polls it every second (and at once when told something was queued),
// claims due deliveries channel by channel, one at a time, and records each outcome. A failure is
// tried again after an exponential back-off, for a day; then it is given up, with its last error kept.

import type { Log } from "../log";
import type { ClaimedDelivery, NewDelivery, OutboxChannel, OutboxStore } from "../store/outbox";

/** `giveUp`: trying again cannot help (the endpoint is gone or switched off). */
type SendOutcome = { ok: true } | { ok: false; error: string; giveUp?: boolean };

/** Delivers one claimed row; never throws (an exception counts as a failure). */
export type Sender = (delivery: ClaimedDelivery) => Promise<SendOutcome>;

export interface Outbox {
  /** Queues a delivery and wakes the sender; false when the same event was queued already. */
  enqueue(delivery: NewDelivery): Promise<boolean>;
  /** Whether a delivery of this sequence still waits to be sent (a burst under way), not yet being sent. */
  waiting(sequenceKey: string): Promise<boolean>;
  /** Starts polling; the server calls it once it listens. */
  start(): void;
  /** Stops polling and waits for the delivery under way. */
  stop(): Promise<void>;
  /** Sends what is due now, and resolves once done: tests call it rather than wait for the poll. */
  flush(): Promise<void>;
}

/** Longer than any one send may take (SMTP's and a webhook's timeouts): a batch is sent at once, so a lease never ends mid-send. */
const LEASE_MS = 120_000;
const POLL_MS = 1_000;
const BATCH = 20;
/** A delivery that has failed for this long is given up. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000;
const FIRST_RETRY_MS = 30_000;
const LONGEST_WAIT_MS = 60 * 60 * 1000;

/** The wait before the next try after `attempts` failures: 30 s, 1 min, 2 min… at most an hour. */
export const backoffMs = (attempts: number): number => Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), LONGEST_WAIT_MS);

export function createOutbox(
  store: OutboxStore,
  senders: Partial<Record<OutboxChannel, Sender>>,
  { now, log }: { now: () => number; log: Log },
): Outbox {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;

  async function deliver(channel: OutboxChannel, send: Sender, delivery: ClaimedDelivery) {
    let outcome: SendOutcome;
    try {
      outcome = await send(delivery);
    } catch (error) {
      outcome = { ok: false, error: (error as Error).message };
    }
    const at = now();
    if (outcome.ok) return store.sent(delivery, at);
    // The last try is at the day's end exactly, so a receiver down all day has failed for all of it.
    const deadline = delivery.firstDueAt + GIVE_UP_AFTER_MS;
    const next = Math.min(at + backoffMs(delivery.attempts + 1), deadline);
    const givenUp = outcome.giveUp === true || at >= deadline;
    log.warn({ channel, delivery: delivery.dedupeKey, error: outcome.error, givenUp }, "delivery failed");
    return store.failed(delivery, outcome.error, at, givenUp ? null : next);
  }

  /**
   * Each channel on its own, so a slow webhook receiver never holds up mail; a batch's deliveries at
   * once (a batch holds at most one per webhook endpoint), so one slow endpoint holds up only its own.
   */
  async function drainChannel(channel: OutboxChannel, send: Sender) {
    for (;;) {
      const batch = await store.claim(channel, now(), LEASE_MS, BATCH);
      await Promise.all(batch.map((delivery) => deliver(channel, send, delivery)));
      // A sent delivery may free the next of its sequence: claim until nothing is due.
      if (batch.length === 0) break;
    }
  }

  async function drain() {
    const channels = Object.entries(senders) as [OutboxChannel, Sender][];
    await Promise.all(channels.map(([channel, send]) => drainChannel(channel, send)));
  }

  function wake(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await drain().catch((error: Error) => log.error({ err: error }, "outbox could not be read"));
      } while (again);
    })().finally(() => (running = null));
    return running;
  }

  return {
    async enqueue(delivery) {
      const queued = await store.enqueue(delivery, now());
      if (queued && timer !== null) void wake();
      return queued;
    },
    waiting: (sequenceKey) => store.waiting(sequenceKey, now()),
    start() {
      timer ??= setInterval(() => void wake(), POLL_MS);
      timer.unref();
      void wake();
    },
    async stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      await running;
    },
    async flush() {
      await running;
      await wake();
    },
  };
}
