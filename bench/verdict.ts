// Verdict requests per second and p99 latency with autocannon, against Hatch holding 100k IP rules
// and 1,000 website patterns, next to a bare node:http server answering the same JSON in the same run.
// Every request is a new visitor's (no visitor id). Also measured, for the record: a hidden verdict
// and the ticket route, which the widget calls only on pages where the visitor chats.
// Prints figures; never fails. Run: npx tsx bench/verdict.ts
import { serve, type ServerType } from "@hono/node-server";
import autocannon from "autocannon";
import { Hono } from "hono";
import { performance } from "node:perf_hooks";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatNetwork, type Network } from "../policy/cidr";
import { DEFAULT_POLICY } from "../policy/schema";
import { loadConfig } from "../server/config";
import { rateLimit } from "../server/rate-limit";
import { startServer } from "../server/server";

const RULES = 100_000;
const PATTERNS = 1_000;
const DURATION_S = 6;
const CONNECTIONS = 32;
const PAGE = "https://site500.example/pricing";

const dataDir = mkdtempSync(join(tmpdir(), "hatch-bench-"));
const hatch = await startServer(loadConfig({ HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir }));
const { accounts, policies } = hatch.deps;
// The bench measures the verdict, not the per-address limits every request here would hit.
hatch.deps.limits.verdict = rateLimit("requests", Number.POSITIVE_INFINITY, 60_000);
hatch.deps.limits.ticket = rateLimit("requests", Number.POSITIVE_INFINITY, 60_000);
await accounts.createAccount("bench", "Bench", Date.now());
const owner = await accounts.addUser("bench", "owner@bench.test", "x", "owner", Date.now());
const document = { ...DEFAULT_POLICY, websites: { allowed: Array.from({ length: PATTERNS }, (_, i) => `site${i}.example`), blocked: ["site500.example/admin"] } };
await policies.putPolicy("bench", document, 1, owner!.id, Date.now());
let seed = 7;
const rules = Array.from({ length: RULES }, () => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  const prefix = 24 + (seed % 9);
  const start = ((seed * 2654435761) >>> 0) & (prefix === 32 ? 0xffffffff : (0xffffffff << (32 - prefix)) >>> 0);
  const network: Network = { version: 4, start: start >>> 0, prefix };
  return { network, text: formatNetwork(network) };
});
await policies.addRules("bench", rules, "bench", { kind: "console", userId: owner!.id, email: "owner@bench.test" }, null, Date.now());

const verdictPath = `/api/v1/widget/bench/verdict?page=${encodeURIComponent(PAGE)}`;
const sample = await fetch(`${hatch.url}${verdictPath}`, { headers: { origin: "https://site500.example" } });
const sampleBody = await sample.text();
// The baseline sends the very bytes Hatch sends, headers included, so the client's work is equal.
const sampleHeaders = Object.fromEntries([...sample.headers].filter(([name]) => !["date", "content-length", "connection", "keep-alive"].includes(name)));

const bare = createServer((_req, res) => {
  res.writeHead(200, sampleHeaders);
  res.end(sampleBody);
});
await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

// The framework's own ceiling: a Hono route on @hono/node-server answering the same bytes, no logic.
const trivial = new Hono();
trivial.get("*", (c) => c.body(sampleBody, 200, sampleHeaders));
const trivialServer = await new Promise<ServerType>((resolve) => {
  const s = serve({ fetch: trivial.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
});
const trivialUrl = `http://127.0.0.1:${(trivialServer.address() as AddressInfo).port}`;

async function load(url: string) {
  const before = performance.eventLoopUtilization();
  // The load runs in a worker thread, so it has its own core and does not share the server's event loop.
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, workers: 1, headers: { origin: "https://site500.example" } });
  const busy = performance.eventLoopUtilization(before).utilization;
  return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx, busy };
}

console.log(`Verdict with ${RULES.toLocaleString("en")} IP rules and ${PATTERNS} website patterns; ${CONNECTIONS} connections, ${DURATION_S} s each`);
console.log(`sample answer: ${sampleBody.slice(0, 60)}…`);
const base = await load(`${bareUrl}${verdictPath}`);
const framework = await load(`${trivialUrl}${verdictPath}`);
const ours = await load(`${hatch.url}${verdictPath}`);
// A hidden answer (a blocked path): what an abuser hammering the verdict costs.
const hidden = await load(`${hatch.url}/api/v1/widget/bench/verdict?page=${encodeURIComponent("https://site500.example/admin")}`);
const ticket = await load(`${hatch.url}${verdictPath.replace("/verdict?", "/ticket?")}`);
console.log(`bare node:http   ${base.rps.toFixed(0).padStart(8)} req/s   p99 ${base.p99} ms   server busy ${(base.busy * 100).toFixed(0)} %`);
console.log(`trivial Hono     ${framework.rps.toFixed(0).padStart(8)} req/s   p99 ${framework.p99} ms   server busy ${(framework.busy * 100).toFixed(0)} %`);
console.log(`hatch verdict    ${ours.rps.toFixed(0).padStart(8)} req/s   p99 ${ours.p99} ms   server busy ${(ours.busy * 100).toFixed(0)} %   non-2xx ${ours.non2xx}`);
console.log(`hatch, hidden    ${hidden.rps.toFixed(0).padStart(8)} req/s   p99 ${hidden.p99} ms   server busy ${(hidden.busy * 100).toFixed(0)} %`);
console.log(`hatch, ticket    ${ticket.rps.toFixed(0).padStart(8)} req/s   p99 ${ticket.p99} ms   server busy ${(ticket.busy * 100).toFixed(0)} %   non-2xx ${ticket.non2xx}   (signed; once per chat, not per page view)`);
console.log(`ratio hatch / bare: ${(ours.rps / base.rps).toFixed(2)} (goal ≥ 0.70); trivial Hono / bare: ${(framework.rps / base.rps).toFixed(2)}; hatch / trivial Hono: ${(ours.rps / framework.rps).toFixed(2)}`);

bare.close();
trivialServer.close();
await hatch.close();
rmSync(dataDir, { recursive: true, force: true });
