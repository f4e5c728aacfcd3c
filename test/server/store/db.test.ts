// The store's connection to PostgreSQL: a connection lost under a query fails that query, never the process.
import { createConnection, createServer, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { sql } from "kysely";
import { expect, it } from "vitest";
import { openDb } from "../../../server/store/db";
import { sharedServicesEnv } from "../shared-services";

/** A TCP relay to PostgreSQL whose connections the test can cut, as a network fault or a failover does. */
async function relayTo(databaseUrl: string) {
  const target = new URL(databaseUrl);
  const open = new Set<Socket>();
  const relay = createServer((client) => {
    const upstream = createConnection(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("error", () => undefined).on("close", () => open.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  const url = new URL(databaseUrl);
  url.port = String((relay.address() as AddressInfo).port);
  return {
    url: url.toString(),
    cut: () => open.forEach((socket) => socket.destroy()),
    close: () => new Promise((resolve) => relay.close(resolve)),
  };
}

it("fails the query whose PostgreSQL connection is lost, and the process and the store carry on", async () => {
  const relay = await relayTo((await sharedServicesEnv()).DATABASE_URL);
  const db = await openDb({ dataDir: tmpdir(), databaseUrl: relay.url });
  try {
    // Its failure awaited from the start: nothing else should see it.
    const sleeping = expect(sql`select pg_sleep(30)`.execute(db)).rejects.toThrow(/terminated/);
    const running = async () =>
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from pg_stat_activity where query = 'select pg_sleep(30)'`.execute(db)
      ).rows[0]?.n;
    await expect.poll(running).toBe(1);
    // No word from the server: the connection is simply gone, under the query.
    relay.cut();
    await sleeping;
    // The pool drops the clients it loses, as they notice, and opens new ones.
    await expect
      .poll(() => sql<{ one: number }>`select 1 as one`.execute(db).then((result) => result.rows, String))
      .toEqual([{ one: 1 }]);
  } finally {
    await db.destroy();
    await relay.close();
  }
});
