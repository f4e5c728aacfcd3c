// The AS table on the bundled @ip-location-db/asn data: load time, memory and event-loop stalls while
// loading, and lookups next to `maxmind` in the same run, on an ASN MMDB built here from the same
// IPv4 ranges, and on the bundled country MMDB for IPv6; and csv-parse reading the same CSVs, the
// baseline for server/networks/asn.ts's own reader. Prints figures; never fails.
// Run: npx tsx bench/asn.ts
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parse } from "csv-parse";
import { Reader } from "maxmind";
import { formatIp, type IpAddress } from "../policy/ip";
import { loadAsnTable } from "../server/networks/asn";
import { writeMmdb } from "../test/fixtures/asn/write-mmdb";

const require = createRequire(import.meta.url);
const MIB = 1024 * 1024;

// Heap figures need a collection before each reading; this exposes gc() without a command-line flag.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

// A small deterministic generator (mulberry32), so every run looks up the same addresses.
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Nanoseconds per call of `run` over `inputs`, the median of five timed rounds of at least `minMs`. */
function nsPerCall<T>(inputs: T[], run: (input: T) => unknown, minMs = 200): number {
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    let calls = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0n;
    do {
      for (const input of inputs) run(input);
      calls += inputs.length;
      elapsed = process.hrtime.bigint() - start;
    } while (elapsed < BigInt(minMs) * 1_000_000n);
    rounds.push(Number(elapsed) / calls);
  }
  return rounds.sort((a, b) => a - b)[2] ?? 0;
}

/** The CIDR blocks that make up the IPv4 range [start, end], largest first. */
function* cidrs(start: number, end: number): Generator<string> {
  while (start <= end) {
    let size = 1;
    while (start % (size * 2) === 0 && start + size * 2 - 1 <= end) size *= 2;
    yield `${formatIp({ version: 4, value: start })}/${32 - Math.log2(size)}`;
    start += size;
  }
}

const csv = (file: string) => readFileSync(require.resolve(`@ip-location-db/asn/${file}`), "latin1").split("\n");

// Load: the longest gap between 1 ms ticks is the longest the event loop was held.
gc();
const before = process.memoryUsage();
let stall = 0;
let tick = performance.now();
const ticker = setInterval(() => {
  stall = Math.max(stall, performance.now() - tick);
  tick = performance.now();
}, 1);
const loadStart = performance.now();
const table = await loadAsnTable(null);
const loadMs = performance.now() - loadStart;
clearInterval(ticker);
gc();
const after = process.memoryUsage();
console.log(`ASN table from the bundled @ip-location-db/asn CSVs: ${table.ranges.toLocaleString("en")} ranges`);
console.log(
  `load ${loadMs.toFixed(0)} ms, longest event-loop stall ${stall.toFixed(0)} ms; ` +
    `memory +${((after.heapUsed - before.heapUsed) / MIB).toFixed(1)} MiB heap, ` +
    `+${((after.arrayBuffers - before.arrayBuffers) / MIB).toFixed(1)} MiB typed arrays`,
);

// csv-parse only splitting the same files into records, nothing parsed or stored: the floor a table
// built on it could not go below.
const csvParseStart = performance.now();
let records = 0;
for (const file of ["asn-ipv4-num.csv", "asn-ipv6-num.csv"])
  for await (const record of createReadStream(require.resolve(`@ip-location-db/asn/${file}`)).pipe(parse()))
    records += (record as string[]).length === 4 ? 1 : 0;
const csvParseMs = performance.now() - csvParseStart;
console.log(
  `csv-parse, records only: ${csvParseMs.toFixed(0)} ms for ${records.toLocaleString("en")} rows; ` +
    `Hatch's reader, table built: ${loadMs.toFixed(0)} ms (ratio ${(loadMs / csvParseMs).toFixed(2)})`,
);

// The IPv6 ranges as bigint[], for addresses inside them (random ones in 2000::/3 nearly all miss:
// announced IPv6 is a sliver of it) and for the comparison at the end.
gc();
const bigintsBefore = process.memoryUsage().heapUsed;
const starts: bigint[] = [];
const ends: bigint[] = [];
for (const line of csv("asn-ipv6-num.csv")) {
  if (line === "") continue;
  const [start, end] = line.split(",", 2);
  starts.push(BigInt(start!));
  ends.push(BigInt(end!));
}
gc();
const bigintMib = (process.memoryUsage().heapUsed - bigintsBefore) / MIB;
const next = random(42);
const ipv4: IpAddress[] = Array.from({ length: 4096 }, () => ({ version: 4, value: Math.floor(next() * 2 ** 32) }));
const ipv6: IpAddress[] = Array.from({ length: 4096 }, () => {
  const range = Math.floor(next() * starts.length);
  const offset = BigInt(Math.floor(next() * 2 ** 52)) % (ends[range]! - starts[range]! + 1n);
  return { version: 6, value: starts[range]! + offset };
});
const hits = (probes: IpAddress[]) => probes.filter((ip) => table.lookup(ip) !== null).length / probes.length;

// An ASN MMDB of the same IPv4 ranges, written by the tests' MMDB writer: maxmind on the same data.
const buildStart = performance.now();
const networks: Parameters<typeof writeMmdb>[0] = [];
let covered = -1;
for (const line of csv("asn-ipv4-num.csv")) {
  const [start, end, asn] = line.split(",", 3).map(Number);
  if (start === undefined || end === undefined || asn === undefined || line === "") continue;
  const record = { autonomous_system_number: asn, autonomous_system_organization: table.name(asn) ?? "" };
  // An MMDB cannot hold overlapping networks; the data has one overlap (AS749 and AS721).
  for (const network of cidrs(Math.max(start, covered + 1), end)) networks.push([network, record]);
  covered = Math.max(covered, end);
}
const scratch = mkdtempSync(join(tmpdir(), "hatch-bench-asn-"));
const mmdbPath = join(scratch, "asn-ipv4.mmdb");
writeFileSync(mmdbPath, writeMmdb(networks, { ipVersion: 4, recordSize: 24 }));
const buildMs = performance.now() - buildStart;
const asnReader = new Reader(readFileSync(mmdbPath));
gc();
const mmdbBefore = process.memoryUsage();
const mmdbStart = performance.now();
const fromMmdb = await loadAsnTable(mmdbPath);
const mmdbLoadMs = performance.now() - mmdbStart;
gc();
const mmdbHeap = (process.memoryUsage().heapUsed - mmdbBefore.heapUsed) / MIB;
rmSync(scratch, { recursive: true, force: true });
const countryReader = new Reader(
  readFileSync(require.resolve("@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb")),
);

const ipv4Texts = ipv4.map(formatIp);
const ipv6Texts = ipv6.map(formatIp);
console.log(
  `\nlookups, ns each (median of 5 rounds over 4,096 addresses, IPv6 drawn inside announced ranges; hit rate ${(hits(ipv4) * 100).toFixed(0)} % IPv4, ` +
    `${(hits(ipv6) * 100).toFixed(0)} % IPv6)`,
);
const rows: [string, number, number][] = [
  ["hatch table (IpAddress in)", nsPerCall(ipv4, (ip) => table.lookup(ip)), nsPerCall(ipv6, (ip) => table.lookup(ip))],
  [
    "maxmind get(text)",
    nsPerCall(ipv4Texts, (text) => asnReader.get(text)),
    nsPerCall(ipv6Texts, (text) => countryReader.get(text)),
  ],
  [
    "maxmind formatIp + get",
    nsPerCall(ipv4, (ip) => asnReader.get(formatIp(ip))),
    nsPerCall(ipv6, (ip) => countryReader.get(formatIp(ip))),
  ],
];
console.log(["".padEnd(28), "IPv4".padStart(10), "IPv6".padStart(10)].join(""));
for (const [label, v4, v6] of rows)
  console.log([label.padEnd(28), v4.toFixed(0).padStart(10), v6.toFixed(0).padStart(10)].join(""));
console.log(
  `maxmind IPv4: an ASN MMDB of the same ${networks.length.toLocaleString("en")} networks (built in ${(buildMs / 1000).toFixed(1)} s);`,
);
console.log(
  `maxmind IPv6: the bundled geo-whois-asn-country MMDB (${countryReader.metadata.nodeCount.toLocaleString("en")} nodes), ` +
    "a country database of the same size class: no IPv6 ASN MMDB is at hand.",
);
console.log(
  `That ASN MMDB as ASN_DB: loaded into the table in ${mmdbLoadMs.toFixed(0)} ms, +${mmdbHeap.toFixed(1)} MiB heap, ` +
    `${fromMmdb.ranges.toLocaleString("en")} ranges (one per CIDR network).`,
);

// IPv6 as bigint[] against the two BigUint64Array halves the table keeps: the same binary search on each.
gc();
const heapBefore = process.memoryUsage();
const halves = (values: bigint[]) => [
  BigUint64Array.from(values, (value) => value >> 64n),
  BigUint64Array.from(values, (value) => BigInt.asUintN(64, value)),
];
const [startHigh, startLow] = halves(starts) as [BigUint64Array, BigUint64Array];
const [endHigh, endLow] = halves(ends) as [BigUint64Array, BigUint64Array];
const halvesMib = (process.memoryUsage().arrayBuffers - heapBefore.arrayBuffers) / MIB;
const searchHalves = (value: bigint): number => {
  const high = value >> 64n;
  const low = BigInt.asUintN(64, value);
  let found = -1;
  for (let lo = 0, hi = starts.length - 1; lo <= hi;) {
    const mid = (lo + hi) >>> 1;
    if (startHigh[mid]! < high || (startHigh[mid] === high && startLow[mid]! <= low)) [found, lo] = [mid, mid + 1];
    else hi = mid - 1;
  }
  return found >= 0 && (endHigh[found]! > high || (endHigh[found] === high && endLow[found]! >= low)) ? found : -1;
};
const searchBigints = (value: bigint): number => {
  let found = -1;
  for (let lo = 0, hi = starts.length - 1; lo <= hi;) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= value) [found, lo] = [mid, mid + 1];
    else hi = mid - 1;
  }
  return found >= 0 && value <= ends[found]! ? found : -1;
};
const values = ipv6.map((ip) => ip.value as bigint);
console.log(`\nIPv6 representation, binary search over ${starts.length.toLocaleString("en")} ranges:`);
console.log(
  `  BigUint64Array halves (the table): ${nsPerCall(values, searchHalves).toFixed(0)} ns, ${halvesMib.toFixed(1)} MiB`,
);
console.log(
  `  bigint[]:                          ${nsPerCall(values, searchBigints).toFixed(0)} ns, ${bigintMib.toFixed(1)} MiB (each bigint a heap object)`,
);
