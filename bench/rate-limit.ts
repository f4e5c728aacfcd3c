// Hatch's WindowCounter (server/protection/window-counter.ts) beside rate-limiter-flexible's memory store,
// the library it was written instead of, on what the verdict's path needs: memory per key, timers held,
// and the cost of one hit, for a flood of distinct addresses. Prints figures; never fails.
// Run: npx tsx bench/rate-limit.ts
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { WindowCounter } from "../server/protection/window-counter";

const KEYS = 200_000;
const LIMIT = 600;
const WINDOW_S = 60;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Keys shaped like the verdict's: an IPv4 address as its integer. */
const keys = Array.from({ length: KEYS }, (_, i) => 0x0a000000 + i * 7);

function heapNow(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

// Timers started, counted at setTimeout: the library unrefs its timers, which hides them from
// process.getActiveResourcesInfo(), but each still holds its record until it fires.
let timersStarted = 0;
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
  timersStarted++;
  return realSetTimeout(...args);
}) as typeof setTimeout;
const timers = (): number => timersStarted;

async function measure(name: string, hit: (key: number) => unknown): Promise<void> {
  const heapBefore = heapNow();
  const timersBefore = timers();
  const start = process.hrtime.bigint();
  for (const key of keys) await hit(key);
  const firstNs = Number(process.hrtime.bigint() - start) / KEYS;
  const bytes = (heapNow() - heapBefore) / KEYS;
  const held = timers() - timersBefore;
  const again = process.hrtime.bigint();
  for (const key of keys) await hit(key);
  const repeatNs = Number(process.hrtime.bigint() - again) / KEYS;
  console.log(
    `${name.padEnd(34)} ${bytes.toFixed(0).padStart(6)} B/key ${String(held).padStart(8)} timers ` +
      `${firstNs.toFixed(0).padStart(7)} ns new key ${repeatNs.toFixed(0).padStart(7)} ns known key`,
  );
}

console.log(
  `${KEYS.toLocaleString("en")} distinct keys, a limit of ${LIMIT} in ${WINDOW_S} s, each hit once then again`,
);
const counter = new WindowCounter<number>(LIMIT, WINDOW_S * 1000);
await measure("WindowCounter (take, no promise)", (key) => counter.take(key, Date.now()));
const library = new RateLimiterMemory({ points: LIMIT, duration: WINDOW_S });
await measure("rate-limiter-flexible memory", (key) => library.consume(String(key)));
console.log("(await on WindowCounter's number costs a microtask the verdict never pays: its path is promise-free)");
process.exit(0);
