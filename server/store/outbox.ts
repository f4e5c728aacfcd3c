// The outbox: mail and webhook deliveries kept in the store until sent, so a restart loses none. Each
// row is claimed by one instance at a time (a lease, taken by a conditional update that only one
// instance can win), retried with back-off, and given up after a day; a row's dedupe key keeps one
// event from being queued twice, and its sequence key keeps a chat's events to one endpoint in order.

import { sql, type Selectable } from "kysely";
import type { Db } from "./db";
import { onPostgres } from "./dialect";
import { newId } from "../ids";
import type { OutboxTable } from "./schema";

export type OutboxChannel = OutboxTable["channel"];

/** A delivery to queue: `dedupeKey` names the event and its recipient, once. */
export interface NewDelivery {
  accountId: string;
  channel: OutboxChannel;
  dedupeKey: string;
  sequenceKey?: string | null;
  /** Where it goes: one delivery in flight to one target at a time, whichever instance sends it. */
  targetKey?: string | null;
  payload: unknown;
  /** Not before then: a burst of answers waits to go together. Default: at once. */
  notBefore?: number;
  /**
   * The chat it is about: queued only while the chat is kept. An erasure (or retention) under way when
   * a message of the chat is announced finishes first, and nothing of the chat is queued after it.
   */
  conversationId?: string | null;
}

/** A claimed delivery: its payload, how many times it was tried before this one, and the claim's token. */
export interface ClaimedDelivery {
  id: number;
  /** The claim's token: sent() and failed() change the row only while this claim holds it. */
  lease: string;
  /** When it was first due: it is tried for a day from then. */
  firstDueAt: number;
  accountId: string;
  dedupeKey: string;
  payload: unknown;
  attempts: number;
  createdAt: number;
}

/** A queued delivery as the console lists it. */
export interface OutboxRecord {
  id: number;
  dedupeKey: string;
  sequenceKey: string | null;
  payload: unknown;
  attempts: number;
  createdAt: number;
  nextAt: number;
  doneAt: number | null;
  lastError: string | null;
}

export class OutboxStore {
  constructor(private readonly db: Db) {}

  /** Queues a delivery; false when one with its dedupe key was queued already, or its chat is gone (nothing changes). */
  async enqueue(delivery: NewDelivery, now: number): Promise<boolean> {
    const chat = delivery.conversationId;
    if (chat === undefined || chat === null) return insertDelivery(this.db, delivery, now);
    return this.db.transaction().execute(async (tx) => {
      // PostgreSQL: shared with other writers, but not with an erasure's lock on the chat (FOR UPDATE).
      let kept = tx.selectFrom("conversations").select("id").where("id", "=", chat);
      if (onPostgres(tx)) kept = kept.forShare();
      return (await kept.executeTakeFirst()) ? insertDelivery(tx, delivery, now) : false;
    });
  }

  /**
   * Claims up to `limit` deliveries of `channel` that are due, for `leaseMs`: each is this caller's
   * alone until then. A row waits while an older row of its sequence is not done.
   */
  async claim(channel: OutboxChannel, now: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
    const due = await this.db
      .selectFrom("outbox as o")
      .select(["o.id", "o.target_key"])
      .where("o.channel", "=", channel)
      .where("o.done_at", "is", null)
      .where("o.next_at", "<=", now)
      .where((eb) => eb.or([eb("o.lease_until", "is", null), eb("o.lease_until", "<=", now)]))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("outbox as earlier")
              .select("earlier.id")
              .whereRef("earlier.sequence_key", "=", "o.sequence_key")
              .where("earlier.done_at", "is", null)
              .whereRef("earlier.id", "<", "o.id"),
          ),
        ),
      )
      .orderBy("o.id")
      .limit(limit)
      .execute();
    const claimed: ClaimedDelivery[] = [];
    const lease = newId("lease");
    for (const { id, target_key: target } of due) {
      const row = await this.lease(id, target, lease, now, leaseMs);
      if (row)
        claimed.push({
          id: Number(row.id),
          lease,
          firstDueAt: Number(row.first_due_at),
          accountId: row.account_id,
          dedupeKey: row.dedupe_key,
          payload: JSON.parse(row.payload),
          attempts: row.attempts,
          createdAt: Number(row.created_at),
        });
    }
    return claimed;
  }

  /**
   * Leases one row unless its target has a delivery in flight. Only one instance's update finds the
   * lease free; a target is checked and leased under a lock (PostgreSQL's advisory lock; SQLite writes
   * one transaction at a time), so two instances never send to one target at once.
   */
  private lease(id: number, target: string | null, lease: string, now: number, leaseMs: number) {
    return this.db.transaction().execute(async (tx) => {
      if (target !== null) {
        if (onPostgres(tx)) await sql`select pg_advisory_xact_lock(hashtext(${`outbox:${target}`}))`.execute(tx);
        const busy = await tx
          .selectFrom("outbox")
          .select("id")
          .where("target_key", "=", target)
          .where("done_at", "is", null)
          .where("lease_until", ">", now)
          .executeTakeFirst();
        if (busy) return undefined;
      }
      return tx
        .updateTable("outbox")
        .set({ lease_until: now + leaseMs, lease_owner: lease })
        .where("id", "=", id)
        .where("done_at", "is", null)
        .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now)]))
        .returning(["id", "account_id", "dedupe_key", "payload", "attempts", "created_at", "first_due_at"])
        .executeTakeFirst();
    });
  }

  /** The delivery went: it is done. A claim whose lease ran out and was taken over changes nothing. */
  async sent({ id, lease }: Pick<ClaimedDelivery, "id" | "lease">, now: number): Promise<void> {
    await this.db
      .updateTable("outbox")
      .set((eb) => ({ done_at: now, lease_until: null, last_error: null, attempts: eb("attempts", "+", 1) }))
      .where("id", "=", id)
      .where("lease_owner", "=", lease)
      .execute();
  }

  /** The delivery failed: tried again at `nextAt`, or never when `nextAt` is null (given up, done). */
  async failed(
    { id, lease }: Pick<ClaimedDelivery, "id" | "lease">,
    error: string,
    now: number,
    nextAt: number | null,
  ): Promise<void> {
    await this.db
      .updateTable("outbox")
      .set((eb) => ({
        attempts: eb("attempts", "+", 1),
        last_error: error.slice(0, 1000),
        lease_until: null,
        ...(nextAt === null ? { done_at: now } : { next_at: nextAt }),
      }))
      .where("id", "=", id)
      .where("lease_owner", "=", lease)
      .execute();
  }

  /**
   * Whether a delivery of this sequence is still waiting to go (a burst of answers under way). One being
   * sent does not count: its sender may have read what it sends already, so what comes now needs a
   * delivery of its own, which the sequence sends after it.
   */
  async waiting(sequenceKey: string, now: number): Promise<boolean> {
    const row = await this.db
      .selectFrom("outbox")
      .select("id")
      .where("sequence_key", "=", sequenceKey)
      .where("done_at", "is", null)
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now)]))
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The account's deliveries of a channel whose sequence key starts with `prefix`, newest first. */
  async listSequences(
    accountId: string,
    channel: OutboxChannel,
    prefix: string,
    limit: number,
  ): Promise<OutboxRecord[]> {
    const rows = await this.db
      .selectFrom("outbox")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("channel", "=", channel)
      .where("sequence_key", "like", `${prefix}%`)
      .orderBy("id", "desc")
      .limit(limit)
      .execute();
    // LIKE reads "_" in an id as any character: the prefix is checked exactly here.
    return rows.filter((row) => row.sequence_key?.startsWith(prefix)).map(toRecord);
  }

  /** The account's delivery queued under `dedupeKey`, or null. */
  async byDedupeKey(accountId: string, dedupeKey: string): Promise<OutboxRecord | null> {
    const row = await this.db
      .selectFrom("outbox")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("dedupe_key", "=", dedupeKey)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Deletes deliveries done before `before`: kept a while for the console's list, not for ever. */
  async prune(before: number): Promise<void> {
    await this.db.deleteFrom("outbox").where("done_at", "<", before).execute();
  }

  /** One of the account's deliveries, or null. */
  async find(accountId: string, id: number): Promise<OutboxRecord | null> {
    const row = await this.db
      .selectFrom("outbox")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }
}

function toRecord(row: Selectable<OutboxTable>): OutboxRecord {
  return {
    id: Number(row.id),
    dedupeKey: row.dedupe_key,
    sequenceKey: row.sequence_key,
    payload: JSON.parse(row.payload),
    attempts: row.attempts,
    createdAt: Number(row.created_at),
    nextAt: Number(row.next_at),
    doneAt: row.done_at === null ? null : Number(row.done_at),
    lastError: row.last_error,
  };
}

/** Inserts a delivery unless its dedupe key is queued already. */
async function insertDelivery(db: Db, delivery: NewDelivery, now: number): Promise<boolean> {
  const result = await db
    .insertInto("outbox")
    .values({
      account_id: delivery.accountId,
      channel: delivery.channel,
      dedupe_key: delivery.dedupeKey,
      sequence_key: delivery.sequenceKey ?? null,
      target_key: delivery.targetKey ?? null,
      payload: JSON.stringify(delivery.payload),
      attempts: 0,
      next_at: delivery.notBefore ?? now,
      first_due_at: delivery.notBefore ?? now,
      lease_until: null,
      lease_owner: null,
      created_at: now,
      done_at: null,
      last_error: null,
    })
    .onConflict((conflict) => conflict.column("dedupe_key").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
