// Two instances on PostgreSQL and Redis against one on SQLite, in the same run, every server a
// process of its own: verdicts per second and p99 (visitors from ~1,000,000 distinct addresses,
// through wrk, each instance loaded directly), a message's round trip from the visitor's send to the
// agent's event stream (p50, p99; on two instances it crosses from one to the other), and the time
// from a block on one instance to the refusal on the other. This machine has 2 cores for everything
// (databases, instances and load): the figures compare layouts, they do not promise a scale.
// Prints figures; never fails. Run: npx tsx bench/cluster.ts
import { startInstanceProcess, type Instance } from "../demo/cluster";
import { freePort, startPostgres, startRedis } from "../demo/services";
import { SseReader } from "../test/server/sse";
import { wrk } from "./lib/wrk";

const DURATION_S = 8;
const CONNECTIONS = 32;
const ROUND_TRIPS = 200;
const BLOCKS = 10;
const SITE = "https://shop.example";
const PASSWORD = "a bench password, long enough";

interface Layout {
  name: string;
  instances: Instance[];
}

/** Creates the account through the first-run link the (last) instance printed; the owner's session cookie. */
async function setUp(layout: Layout): Promise<string> {
  const instance = layout.instances.at(-1)!;
  const token = /#\/setup\/(\S+)/.exec(instance.output())?.[1];
  if (!token) throw new Error(`no first-run link in:\n${instance.output()}`);
  const response = await fetch(`${instance.url}/api/v1/console/setup`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: instance.url },
    body: JSON.stringify({ token, account: "bench", name: "Bench", email: "owner@bench.test", password: PASSWORD }),
  });
  if (response.status !== 201) throw new Error(`setup failed: ${response.status} ${await response.text()}`);
  return (response.headers.get("set-cookie") ?? "").split(";")[0]!;
}

async function verdicts(layout: Layout) {
  const page = `/api/v1/widget/bench/verdict?page=${encodeURIComponent(`${SITE}/pricing`)}`;
  const share = Math.max(1, Math.floor(CONNECTIONS / layout.instances.length));
  const results = await Promise.all(
    layout.instances.map((instance) =>
      wrk({
        url: `${instance.url}${page}`,
        seconds: DURATION_S,
        connections: share,
        distinct: true,
        headers: { origin: SITE },
      }),
    ),
  );
  return {
    rps: results.reduce((sum, r) => sum + r.rps, 0),
    p99: Math.max(...results.map((r) => r.p99)),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/**
 * Visitors write through the first instance; the owner's console stream is on the last one. Each
 * round trip is another visitor from another address: one visitor may send 30 messages a minute.
 */
async function roundTrips(layout: Layout, cookie: string) {
  const [first, last] = [layout.instances[0]!, layout.instances.at(-1)!];
  const feed = new SseReader<{ type: string; data: { text?: string } }>(
    await fetch(`${last.url}/api/v1/console/events`, { headers: { cookie } }),
  );
  const times: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const headers = { origin: SITE, "x-forwarded-for": `198.51.${100 + Math.floor(i / 250)}.${(i % 250) + 1}` };
    const { ticket } = (await (
      await fetch(`${first.url}/api/v1/widget/bench/ticket?page=${encodeURIComponent(`${SITE}/`)}`, { headers })
    ).json()) as { ticket: string };
    const auth = { ...headers, authorization: `Bearer ${ticket}`, "content-type": "application/json" };
    const { conversation } = (await (
      await fetch(`${first.url}/api/v1/widget/bench/conversations`, { method: "POST", headers: auth })
    ).json()) as { conversation: { id: string } };
    const text = `round trip ${i}`;
    const sent = performance.now();
    const response = await fetch(`${first.url}/api/v1/widget/bench/conversations/${conversation.id}/messages`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ text }),
    });
    if (response.status !== 201) throw new Error(`message refused: ${response.status} ${await response.text()}`);
    while (!feed.events.some((event) => event.data.data.text === text))
      await new Promise((resolve) => setImmediate(resolve));
    times.push(performance.now() - sent);
  }
  await feed.close();
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** From the owner's block on the first instance to the last instance's hidden verdict. */
async function blocks(layout: Layout, cookie: string) {
  const [first, last] = [layout.instances[0]!, layout.instances.at(-1)!];
  const times: number[] = [];
  for (let i = 0; i < BLOCKS; i++) {
    const address = `203.0.113.${i + 1}`;
    const shown = async () =>
      (
        (await (
          await fetch(`${last.url}/api/v1/widget/bench/verdict?page=${encodeURIComponent(`${SITE}/`)}`, {
            headers: { origin: SITE, "x-forwarded-for": address },
          })
        ).json()) as { show: boolean }
      ).show;
    if (!(await shown())) throw new Error(`${address} hidden before the block`);
    const started = performance.now();
    await fetch(`${first.url}/api/v1/console/ip-rules`, {
      method: "POST",
      headers: { cookie, origin: first.url, "content-type": "application/json" },
      body: JSON.stringify({ text: address, comment: "bench" }),
    });
    while (await shown()) await new Promise((resolve) => setTimeout(resolve, 1));
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), max: times.at(-1) ?? Number.NaN };
}

async function measure(layout: Layout) {
  const cookie = await setUp(layout);
  return {
    verdict: await verdicts(layout),
    trip: await roundTrips(layout, cookie),
    block: await blocks(layout, cookie),
  };
}

const quiet = { LOG_LEVEL: "silent" };
const sqlitePort = await freePort();
const single: Layout = {
  name: "1 instance, SQLite",
  instances: [await startInstanceProcess({ ...quiet, PUBLIC_URL: `http://127.0.0.1:${sqlitePort}` }, sqlitePort)],
};
const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
const shared = { ...quiet, DATABASE_URL: await postgres.createDatabase("bench"), REDIS_URL: redis.url };
const ports = [await freePort(), await freePort()];
// The console's origin must be the one it is used from: each instance is its own here.
const cluster: Layout = {
  name: "2 instances, PostgreSQL + Redis",
  instances: [
    await startInstanceProcess({ ...shared, PUBLIC_URL: `http://127.0.0.1:${ports[0]}` }, ports[0]!),
    await startInstanceProcess({ ...shared, PUBLIC_URL: `http://127.0.0.1:${ports[1]}` }, ports[1]!),
  ],
};

console.log(
  `Verdicts: ${CONNECTIONS} connections for ${DURATION_S} s, visitors from ~1,000,000 distinct addresses; ${ROUND_TRIPS} message round trips; ${BLOCKS} blocks`,
);
for (const layout of [single, cluster]) {
  const { verdict, trip, block } = await measure(layout);
  console.log(`\n${layout.name}`);
  console.log(
    `  verdicts        ${verdict.rps.toFixed(0).padStart(7)} req/s   p99 ${verdict.p99.toFixed(2)} ms   non-2xx ${verdict.non2xx}`,
  );
  console.log(
    `  round trip      p50 ${trip.p50.toFixed(1)} ms   p99 ${trip.p99.toFixed(1)} ms   (visitor's send → agent's stream${layout.instances.length > 1 ? ", across instances" : ""})`,
  );
  console.log(
    `  block → refusal p50 ${block.p50.toFixed(1)} ms   max ${block.max.toFixed(1)} ms${layout.instances.length > 1 ? "   (made on one instance, refused by the other)" : ""}`,
  );
}

// Why the verdict's own per-address limit stays in each instance: sharing it would add a Redis round trip to every page view.
const { Redis } = await import("ioredis");
const client = new Redis(redis.url);
const trips: number[] = [];
for (let i = 0; i < 5000; i++) {
  const started = performance.now();
  await client.incr(`bench:verdict:${i % 1000}`);
  trips.push(performance.now() - started);
}
client.disconnect();
trips.sort((a, b) => a - b);
const verdictMs = 1000 / (await verdicts(single)).rps;
console.log(`
A shared verdict limit would cost one Redis round trip per page view: p50 ${(percentile(trips, 50) * 1000).toFixed(0)} µs, against ${(verdictMs * 1000).toFixed(0)} µs of server time per verdict now; it stays per instance.`);

for (const instance of [...single.instances, ...cluster.instances]) instance.process.kill("SIGTERM");
await new Promise((resolve) => setTimeout(resolve, 500));
await Promise.all([postgres.stop(), redis.stop()]);
