// Values every instance must agree on, made once by whichever instance starts first and kept in the
// store: the secret that signs visitor tickets, so a ticket one instance signs is honoured by all.

import { randomBytes } from "node:crypto";
import type { Db } from "./db";

export class SettingStore {
  constructor(private readonly db: Db) {}

  /**
   * The signing secret. The first start makes it (taking `carried` when given: a secret an older
   * version kept in DATA_DIR, so tickets in flight stay good); two instances starting at once agree,
   * since the second's insert does nothing and both read back the first's.
   */
  async secret(carried: string | null): Promise<Buffer> {
    const made = carried ?? randomBytes(32).toString("base64url");
    await this.db
      .insertInto("settings")
      .values({ name: "ticket-secret", value: made })
      .onConflict((oc) => oc.column("name").doNothing())
      .execute();
    const row = await this.db
      .selectFrom("settings")
      .select("value")
      .where("name", "=", "ticket-secret")
      .executeTakeFirstOrThrow();
    return Buffer.from(row.value, "base64url");
  }
}
