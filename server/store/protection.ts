// What automatic protection counts and remembers, in the store every instance shares: one row per
// counted act (a chat opened, a message, a close as spam) under a key naming the visitor or address,
// with the browser that acted; the addresses whose new tickets need a proof of work for a while; and
// the proof-of-work solutions already exchanged for a ticket. In the store rather than in Redis, so
// that a single instance on SQLite counts across restarts too, and many count as one.

import type { Db } from "./db";

/** The longest window anything is counted over: spam closes, a day. Older hits are swept. */
const LONGEST_WINDOW_MS = 24 * 3600 * 1000;

/** How many acts a key holds in a window, and when the first of them was (epoch milliseconds). */
export interface Tally {
  count: number;
  first: number;
}

export class ProtectionStore {
  constructor(private readonly db: Db) {}

  /**
   * Counts one act of the browser `visitorId` under each key at `now`, and answers each key's tally
   * since `since` (this one included).
   */
  async hit(
    accountId: string,
    visitorId: string,
    keys: readonly string[],
    now: number,
    since: number,
  ): Promise<Tally[]> {
    await this.db
      .insertInto("protection_hits")
      .values(keys.map((key) => ({ account_id: accountId, key, at: now, visitor_id: visitorId })))
      .execute();
    return this.count(accountId, keys, since);
  }

  /** Each key's tally since `since`. */
  async count(accountId: string, keys: readonly string[], since: number): Promise<Tally[]> {
    const rows = await this.db
      .selectFrom("protection_hits")
      .select(["key", (eb) => eb.fn.countAll<number | string>().as("hits"), (eb) => eb.fn.min("at").as("first")])
      .where("account_id", "=", accountId)
      .where("key", "in", keys)
      .where("at", ">", since)
      .groupBy("key")
      .execute();
    const found = new Map(rows.map((row) => [row.key, { count: Number(row.hits), first: Number(row.first) }]));
    return keys.map((key) => found.get(key) ?? { count: 0, first: since });
  }

  /** How many browsers acted under any of `keys` since `since`: more than one, and an address is shared. */
  async browsers(accountId: string, keys: readonly string[], since: number): Promise<number> {
    const row = await this.db
      .selectFrom("protection_hits")
      .select((eb) => eb.fn.count<number | string>("visitor_id").distinct().as("browsers"))
      .where("account_id", "=", accountId)
      .where("key", "in", keys)
      .where("at", ">", since)
      .executeTakeFirst();
    return Number(row?.browsers ?? 0);
  }

  /** Forgets every act counted under `keys`: a ban or challenge has answered them. */
  async forget(accountId: string, keys: readonly string[]): Promise<void> {
    await this.db.deleteFrom("protection_hits").where("account_id", "=", accountId).where("key", "in", keys).execute();
  }

  /** Makes new tickets from the address `key` need a proof of work until `until`. */
  async challenge(accountId: string, key: string, until: number): Promise<void> {
    await this.db
      .insertInto("protection_challenges")
      .values({ account_id: accountId, key, until })
      .onConflict((conflict) => conflict.columns(["account_id", "key"]).doUpdateSet({ until }))
      .execute();
  }

  /** When the account's last running challenge ends; 0 when none runs at `now`. */
  async latestChallenge(accountId: string, now: number): Promise<number> {
    const row = await this.db
      .selectFrom("protection_challenges")
      .select((eb) => eb.fn.max("until").as("until"))
      .where("account_id", "=", accountId)
      .where("until", ">", now)
      .executeTakeFirst();
    return Number(row?.until ?? 0);
  }

  /** Whether tickets from the address `key` need a proof of work at `now`. */
  async challenged(accountId: string, key: string, now: number): Promise<boolean> {
    const row = await this.db
      .selectFrom("protection_challenges")
      .select("until")
      .where("account_id", "=", accountId)
      .where("key", "=", key)
      .where("until", ">", now)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Records a solution as used; false when it was already (a replay, on this instance or another):
   * the primary key decides, so two instances racing with one solution cannot both win.
   */
  async useSolution(signature: string, expiresAt: number): Promise<boolean> {
    const result = await this.db
      .insertInto("used_solutions")
      .values({ signature, expires_at: expiresAt })
      .onConflict((conflict) => conflict.column("signature").doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** Forgets hits older than the longest window, challenges ended, and solutions whose challenge has expired. */
  async sweep(now: number): Promise<void> {
    await this.db.deleteFrom("protection_challenges").where("until", "<=", now).execute();
    await this.db
      .deleteFrom("protection_hits")
      .where("at", "<=", now - LONGEST_WINDOW_MS)
      .execute();
    await this.db.deleteFrom("used_solutions").where("expires_at", "<=", now).execute();
  }
}
