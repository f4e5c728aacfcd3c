// Each account's webhook endpoints: the URL, the events it takes, the secret that signs them, and
// whether it is switched off after failing for a day. Their deliveries live in the outbox.

import type { WebhookEndpoint, WebhookEvent } from "../../policy/wire";
import { newId } from "../ids";
import { sql } from "kysely";
import type { Db } from "./db";
import { onPostgres } from "./dialect";
import type { WebhookEndpointTable } from "./schema";

/** An endpoint as the sender needs it: its secret too. */
export interface StoredEndpoint extends WebhookEndpoint {
  accountId: string;
  secret: string;
  failingSince: number | null;
}

/** Endpoints one account may keep: a few integrations, not a fan-out service. */
export const MAX_ENDPOINTS = 10;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toEndpoint(row: WebhookEndpointTable): StoredEndpoint {
  return {
    id: row.id,
    accountId: row.account_id,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEvent[],
    secret: row.secret,
    createdAt: iso(Number(row.created_at))!,
    disabledAt: iso(row.disabled_at === null ? null : Number(row.disabled_at)),
    failingSince: row.failing_since === null ? null : Number(row.failing_since),
  };
}

/** What the console reads: everything but the secret. */
export function publicEndpoint({ id, url, events, createdAt, disabledAt }: StoredEndpoint): WebhookEndpoint {
  return { id, url, events, createdAt, disabledAt };
}

export class WebhookStore {
  constructor(private readonly db: Db) {}

  async list(accountId: string): Promise<StoredEndpoint[]> {
    const rows = await this.db
      .selectFrom("webhook_endpoints")
      .selectAll()
      .where("account_id", "=", accountId)
      .orderBy("created_at")
      .execute();
    return rows.map(toEndpoint);
  }

  async get(accountId: string, id: string): Promise<StoredEndpoint | null> {
    const row = await this.db
      .selectFrom("webhook_endpoints")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? toEndpoint(row) : null;
  }

  /** Adds an endpoint; null when the account has MAX_ENDPOINTS already. */
  async add(
    accountId: string,
    endpoint: { url: string; events: WebhookEvent[]; secret: string },
    now: number,
  ): Promise<StoredEndpoint | null> {
    return this.db.transaction().execute(async (tx) => {
      // One addition per account at a time, so parallel requests cannot pass the cap together.
      if (onPostgres(tx)) await sql`select pg_advisory_xact_lock(hashtext(${`webhooks:${accountId}`}))`.execute(tx);
      const held = await tx
        .selectFrom("webhook_endpoints")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("account_id", "=", accountId)
        .executeTakeFirstOrThrow();
      if (Number(held.n) >= MAX_ENDPOINTS) return null;
      const row: WebhookEndpointTable = {
        id: newId("whk"),
        account_id: accountId,
        url: endpoint.url,
        events: JSON.stringify(endpoint.events),
        secret: endpoint.secret,
        created_at: now,
        failing_since: null,
        disabled_at: null,
      };
      await tx.insertInto("webhook_endpoints").values(row).execute();
      return toEndpoint(row);
    });
  }

  async remove(accountId: string, id: string): Promise<boolean> {
    const gone = await this.db
      .deleteFrom("webhook_endpoints")
      .where("account_id", "=", accountId)
      .where("id", "=", id)
      .executeTakeFirst();
    return Number(gone.numDeletedRows) > 0;
  }

  /** Switches an endpoint on again: its failures forgotten. */
  async enable(accountId: string, id: string): Promise<void> {
    await this.db
      .updateTable("webhook_endpoints")
      .set({ disabled_at: null, failing_since: null })
      .where("account_id", "=", accountId)
      .where("id", "=", id)
      .execute();
  }

  /** A delivery went through: the endpoint is failing no more. */
  async succeeded(id: string): Promise<void> {
    await this.db
      .updateTable("webhook_endpoints")
      .set({ failing_since: null })
      .where("id", "=", id)
      .where("failing_since", "is not", null)
      .execute();
  }

  /**
   * A delivery failed: the endpoint is failing since its first failure without a success, and switched
   * off once that is `offAfterMs` ago. True when this call switched it off.
   */
  async failed(id: string, now: number, offAfterMs: number): Promise<boolean> {
    await this.db
      .updateTable("webhook_endpoints")
      .set({ failing_since: now })
      .where("id", "=", id)
      .where("failing_since", "is", null)
      .execute();
    const off = await this.db
      .updateTable("webhook_endpoints")
      .set({ disabled_at: now })
      .where("id", "=", id)
      .where("disabled_at", "is", null)
      .where("failing_since", "<=", now - offAfterMs)
      .executeTakeFirst();
    return Number(off.numUpdatedRows) > 0;
  }
}
