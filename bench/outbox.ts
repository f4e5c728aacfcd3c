// Webhook events through the outbox, on SQLite and on PostgreSQL in the same run: events queued per
// second (a chat's events as the routes queue them), then delivered per second to a receiver on
// loopback, every delivery signed and checked at the address guard, in order per chat. The baseline is
// the same deliveries POSTed straight (deliver(), no outbox), so the ratio is what the outbox costs.
// Prints figures; never fails. Run: npx tsx bench/outbox.ts
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { startPostgres, startRedis } from "../demo/services";
import { loadConfig } from "../server/config";
import { startServer } from "../server/server";
import { deliver } from "../server/webhooks/deliver";
import { emitWebhook } from "../server/webhooks/events";
import { newWebhookSecret } from "../server/webhooks/signature";

const EVENTS = Number(process.env.EVENTS ?? 2_000);
const CHATS = 50;

const rate = (count: number, ms: number) => `${Math.round((count / ms) * 1000)}/s`;

async function receiver(): Promise<{ url: string; count(): number; close(): Promise<void> }> {
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      count += 1;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    count: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function throughOutbox(engine: string, env: Record<string, string>, url: string): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), "hatch-bench-outbox-"));
  const server = await startServer(
    loadConfig({
      HOST: "127.0.0.1",
      PORT: "0",
      DATA_DIR: dataDir,
      WEBHOOKS_ALLOW_PRIVATE: "1",
      LOG_LEVEL: "silent",
      ...env,
    }),
  );
  try {
    const { deps } = server;
    await deps.accounts.createAccount("bench", "Bench", deps.now());
    await deps.webhooks.add("bench", { url, events: ["chat.message"], secret: newWebhookSecret() }, deps.now());
    await deps.outbox.stop();
    const queued = performance.now();
    for (let i = 0; i < EVENTS; i++)
      await emitWebhook(deps, "bench", {
        type: "chat.message",
        id: `chat.message:${i}`,
        chatId: `conv_${i % CHATS}`,
        data: { message: { id: i, text: `message ${i}` } },
      });
    const queuedMs = performance.now() - queued;
    const sent = performance.now();
    await deps.outbox.flush();
    const sentMs = performance.now() - sent;
    console.log(
      `${engine.padEnd(10)} queued ${rate(EVENTS, queuedMs).padStart(7)}   delivered ${rate(EVENTS, sentMs).padStart(7)}`,
    );
    return sentMs;
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function direct(url: string): Promise<number> {
  const secret = newWebhookSecret();
  const started = performance.now();
  for (let i = 0; i < EVENTS; i++)
    await deliver({
      url,
      secret,
      id: `direct:${i}`,
      type: "chat.message",
      data: { i },
      timestamp: new Date(),
      allowPrivate: true,
    });
  const ms = performance.now() - started;
  console.log(`${"direct".padEnd(10)} (no outbox)       delivered ${rate(EVENTS, ms).padStart(7)}`);
  return ms;
}

const hook = await receiver();
const postgres = await startPostgres();
const redis = await startRedis();
try {
  console.log(`${EVENTS} webhook events over ${CHATS} chats, one endpoint on loopback`);
  const baseline = await direct(hook.url);
  const sqlite = await throughOutbox("sqlite", {}, hook.url);
  const pg = await throughOutbox(
    "postgres",
    { DATABASE_URL: await postgres.createDatabase("bench_outbox"), REDIS_URL: redis.url },
    hook.url,
  );
  console.log(
    `outbox cost: sqlite ${(sqlite / baseline).toFixed(2)}x, postgres ${(pg / baseline).toFixed(2)}x the direct time`,
  );
  console.log(`receiver got ${hook.count()} (expected ${EVENTS * 3})`);
} finally {
  await redis.stop();
  await postgres.stop();
  await hook.close();
}
