// The autonomous system (AS) of an address: ranges from the bundled @ip-location-db/asn CSVs (CC BY 4.0,
// RouteViews, DB-IP and NRO) or from ASN_DB (a CSV of that layout or a GeoLite2-ASN MMDB), binary-searched.

import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { setImmediate as nextTurn } from "node:timers/promises";
import { Reader, type Response } from "maxmind";
import { formatIp, parseIp, unmapIpv4, type IpAddress } from "../../policy/ip";

interface AsInfo {
  asn: number;
  name: string;
}

export interface AsnTable {
  /** The AS announcing `ip` (IPv4-mapped IPv6 as IPv4), or null where no range covers it. */
  lookup(ip: IpAddress): AsInfo | null;
  /** The organisation of an AS number, for labels like "AS13335 Cloudflare, Inc."; null if no range names it. */
  name(asn: number): string | null;
  readonly ranges: number;
}

const require = createRequire(import.meta.url);
const BUNDLED = [
  require.resolve("@ip-location-db/asn/asn-ipv4-num.csv"),
  require.resolve("@ip-location-db/asn/asn-ipv6-num.csv"),
];
// About 5,000 rows, parsed in one go in a few milliseconds: the event loop gets a turn between chunks.
const CHUNK_BYTES = 1 << 18;
const MAX_IPV4 = 0xffffffff;
const MAX_IPV6 = (1n << 128n) - 1n;
const ZERO = 48;
const QUOTE = 34;
const COMMA = 44;
const NEWLINE = 10;
const RETURN = 13;

/**
 * Loads ASN_DB (CSV or .mmdb) or, when path is null, the bundled CSVs; throws naming the file when
 * unreadable/malformed (with the line number for a bad CSV line).
 * @example (await loadAsnTable(null)).lookup({ version: 4, value: 0x01000001 }) // { asn: 13335, name: "Cloudflare, Inc." }
 */
export async function loadAsnTable(path: string | null): Promise<AsnTable> {
  const table = new TableBuilder();
  if (path !== null && path.endsWith(".mmdb")) await readMmdb(path, table);
  else for (const file of path === null ? BUNDLED : [path]) await readCsv(file, table);
  return table.finish();
}

/** Ranges as they are read, checked and kept per IP version, then packed into typed arrays. */
class TableBuilder {
  private readonly v4 = new Ranges<number>();
  private readonly v6 = new Ranges<bigint>();
  private readonly names = new Map<number, string>();

  /** Adds a range, or says why it cannot be added. */
  add(start: IpAddress, end: IpAddress, asn: number): string | null {
    if (start.version === 4 && end.version === 4) return this.v4.add(start.value, end.value, asn);
    if (start.version === 6 && end.version === 6) return this.v6.add(start.value, end.value, asn);
    return "the start and end of the range are not of one IP version";
  }

  /** Whether the AS still needs its name: a name is read once per AS, not once per range. */
  needsName(asn: number): boolean {
    return !this.names.has(asn);
  }

  setName(asn: number, name: string): void {
    this.names.set(asn, name);
  }

  finish(): AsnTable {
    const v4 = ipv4Index(Uint32Array.from(this.v4.starts), Uint32Array.from(this.v4.ends));
    const v6 = ipv6Index(this.v6.starts, this.v6.ends);
    const asns4 = Uint32Array.from(this.v4.asns);
    const asns6 = Uint32Array.from(this.v6.asns);
    const names = this.names;
    return {
      ranges: asns4.length + asns6.length,
      lookup(ip) {
        const address = unmapIpv4(ip);
        const index = address.version === 4 ? v4(address.value) : v6(address.value);
        if (index < 0) return null;
        const asn = (address.version === 4 ? asns4 : asns6)[index]!;
        return { asn, name: names.get(asn) ?? "" };
      },
      name: (asn) => names.get(asn) ?? null,
    };
  }
}

/** One IP version's ranges in file order. */
class Ranges<Value extends number | bigint> {
  readonly starts: Value[] = [];
  readonly ends: Value[] = [];
  readonly asns: number[] = [];

  add(start: Value, end: Value, asn: number): string | null {
    if (start > end) return "the range ends before it starts";
    // enclosingRanges() sweeps the ranges in order of their starts, as the published files have them.
    if (this.starts.length > 0 && start < this.starts[this.starts.length - 1]!)
      return "the range starts before the one on the line above";
    this.starts.push(start);
    this.ends.push(end);
    this.asns.push(asn);
    return null;
  }
}

/** The index of the range covering a value, or -1: a binary search, then outwards past any inner range. */
type Index<Value> = (value: Value) => number;

function ipv4Index(starts: Uint32Array, ends: Uint32Array): Index<number> {
  const outer = enclosingRanges(starts.length, (a, b) => ends[a]! < starts[b]!);
  return (value) => {
    let found = -1;
    for (let lo = 0, hi = starts.length - 1; lo <= hi;) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= value) [found, lo] = [mid, mid + 1];
      else hi = mid - 1;
    }
    while (found >= 0 && ends[found]! < value) found = outer.get(found) ?? -1;
    return found;
  };
}

// IPv6 as two 64-bit halves in BigUint64Arrays: 2.5× faster to search than a bigint[], whose every
// element is a heap object, in 40 % of its memory (bench/asn.ts). High halves are compared first.
function ipv6Index(startValues: bigint[], endValues: bigint[]): Index<bigint> {
  const [startHigh, startLow] = halves(startValues);
  const [endHigh, endLow] = halves(endValues);
  const startsAtMost = (i: number, high: bigint, low: bigint) =>
    startHigh[i]! < high || (startHigh[i] === high && startLow[i]! <= low);
  const endsBefore = (i: number, high: bigint, low: bigint) =>
    endHigh[i]! < high || (endHigh[i] === high && endLow[i]! < low);
  const outer = enclosingRanges(startValues.length, (a, b) => endsBefore(a, startHigh[b]!, startLow[b]!));
  return (value) => {
    const high = value >> 64n;
    const low = BigInt.asUintN(64, value);
    let found = -1;
    for (let lo = 0, hi = startValues.length - 1; lo <= hi;) {
      const mid = (lo + hi) >>> 1;
      if (startsAtMost(mid, high, low)) [found, lo] = [mid, mid + 1];
      else hi = mid - 1;
    }
    while (found >= 0 && endsBefore(found, high, low)) found = outer.get(found) ?? -1;
    return found;
  };
}

function halves(values: bigint[]): [BigUint64Array, BigUint64Array] {
  return [
    BigUint64Array.from(values, (value) => value >> 64n),
    BigUint64Array.from(values, (value) => BigInt.asUintN(64, value)),
  ];
}

/**
 * For each range that starts inside an earlier one, the innermost such earlier range: a lookup past
 * the inner range's end falls back to it. The later, narrower range wins where they overlap. The
 * published data is flat but for one overlap: AS749 214.95.0.0–215.0.255.255 and AS721 from 215.0.0.0.
 */
function enclosingRanges(count: number, endsBeforeStartOf: (a: number, b: number) => boolean): Map<number, number> {
  const outer = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < count; i++) {
    while (open.length > 0 && endsBeforeStartOf(open.at(-1)!, i)) open.pop();
    if (open.length > 0) outer.set(i, open.at(-1)!);
    open.push(i);
  }
  return outer;
}

/**
 * Reads a CSV of rows `start,end,asn,name`: addresses (asn-ipv4.csv) or integers (asn-ipv4-num.csv).
 * By hand, not csv-parse: half a million rows at start, and csv-parse only splitting them into string
 * arrays takes 1.6–2.2 times as long as this reader building the table from them (bench/asn.ts prints both).
 */
async function readCsv(path: string, table: TableBuilder): Promise<void> {
  let line = 0;
  for await (const block of wholeLines(path)) {
    for (let from = 0; from < block.length;) {
      const newline = block.indexOf(NEWLINE, from);
      const to = newline < 0 ? block.length : newline;
      line++;
      const error = addRow(block, from, block[to - 1] === RETURN ? to - 1 : to, table);
      if (error !== null) throw new Error(`ASN data "${path}" line ${line}: ${error}`);
      from = to + 1;
    }
  }
}

/** The file in blocks that end at a line's end, so no row is cut in two. */
async function* wholeLines(path: string): AsyncGenerator<Buffer> {
  let rest = Buffer.alloc(0);
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
      const buffer = Buffer.concat([rest, chunk as Buffer]);
      const end = buffer.lastIndexOf(NEWLINE) + 1;
      if (end > 0) yield buffer.subarray(0, end);
      rest = buffer.subarray(end);
    }
  } catch (error) {
    throw new Error(`ASN data "${path}" could not be read: ${(error as Error).message}`, { cause: error });
  }
  if (rest.length > 0) yield rest;
}

/** Adds the row in bytes [from, to) or says what is wrong with it. Blank lines are skipped. */
function addRow(bytes: Buffer, from: number, to: number, table: TableBuilder): string | null {
  if (from === to) return null;
  const first = bytes.indexOf(COMMA, from);
  const second = first < 0 || first >= to ? -1 : bytes.indexOf(COMMA, first + 1);
  const third = second < 0 || second >= to ? -1 : bytes.indexOf(COMMA, second + 1);
  if (third < 0 || third >= to) return "expected four fields: start,end,asn,name";
  const start = bound(bytes, from, first);
  if (typeof start === "string") return start;
  const end = bound(bytes, first + 1, second);
  if (typeof end === "string") return end;
  const asn = digits(bytes, second + 1, third);
  if (asn < 0 || asn > MAX_IPV4) return `"${bytes.toString("latin1", second + 1, third)}" is not an AS number`;
  const name = nameField(bytes, third + 1, to, table.needsName(asn));
  if (name === false)
    return "the name is not a CSV field: quote a name that holds a comma or a quote, and double the quotes in it";
  if (name !== true) table.setName(asn, name);
  return table.add(start, end, asn);
}

/**
 * One end of a range: an address, or its integer. Integers up to 2^32−1 are IPv4: the IPv6 addresses
 * they would also spell lie in ::/96, which is deprecated and never routed (RFC 4291 §2.5.5.1).
 */
function bound(bytes: Buffer, from: number, to: number): IpAddress | string {
  const value = digits(bytes, from, to);
  if (value >= 0) return value <= MAX_IPV4 ? { version: 4, value } : { version: 6, value: BigInt(value) };
  const text = bytes.toString("latin1", from, to);
  if (/^\d{16,39}$/.test(text)) {
    const big = BigInt(text);
    return big <= MAX_IPV6 ? { version: 6, value: big } : `${text} is too large for an IPv6 address`;
  }
  const parsed = parseIp(text);
  return parsed.ok ? parsed.address : parsed.error.message;
}

/** The integer that bytes [from, to) spell in 1 to 15 decimal digits (exact in a double), else -1. */
function digits(bytes: Buffer, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = bytes[i]! - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** The CSV name field (RFC 4180 quoting), or true when it is well formed but not wanted, or false when malformed. */
function nameField(bytes: Buffer, from: number, to: number, wanted: boolean): string | boolean {
  const quoted = bytes[from] === QUOTE;
  if (quoted && (to - from < 2 || bytes[to - 1] !== QUOTE)) return false;
  const [inner, innerEnd] = quoted ? [from + 1, to - 1] : [from, to];
  for (let i = bytes.indexOf(QUOTE, inner); i >= 0 && i < innerEnd; i = bytes.indexOf(QUOTE, i + 2)) {
    if (!quoted || bytes[i + 1] !== QUOTE || i + 1 >= innerEnd) return false;
  }
  const comma = quoted ? -1 : bytes.indexOf(COMMA, from);
  if (comma >= 0 && comma < to) return false;
  if (!wanted) return true;
  // toString copies: a slice of a large string would keep the whole chunk alive.
  const text = bytes.toString("utf8", inner, innerEnd);
  return quoted ? text.replaceAll('""', '"') : text;
}

// GeoLite2-ASN's layout; checked, since ASN_DB may name any MMDB.
type AsnRecord = Response & { autonomous_system_number?: unknown; autonomous_system_organization?: unknown };

/**
 * Reads a GeoLite2-ASN MMDB into the same table, so lookups cost the same whatever the source: walks
 * its search tree in address order and lets `maxmind` decode each distinct record once.
 */
async function readMmdb(path: string, table: TableBuilder): Promise<void> {
  const [db, reader] = await openMmdb(path);
  const asns = new Map<number, number>();
  let count = 0;
  for (const { record, first, last } of networks(db, reader.metadata)) {
    if (++count % 65_536 === 0) await nextTurn();
    let asn = asns.get(record);
    if (asn === undefined) asns.set(record, (asn = decodeRecord(reader, formatIp(first), path, table)));
    // The walk yields networks in address order, disjoint, IPv4 (::/96) first: add() has nothing to refuse.
    table.add(first, last, asn);
  }
}

async function openMmdb(path: string): Promise<[Buffer, Reader<AsnRecord>]> {
  try {
    const db = await readFile(path);
    return [db, new Reader<AsnRecord>(db)];
  } catch (error) {
    throw new Error(`ASN data "${path}" could not be read as an MMDB file: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** The AS number of the record at `address`, naming its AS in the table; throws if it is not an ASN record. */
function decodeRecord(reader: Reader<AsnRecord>, address: string, path: string, table: TableBuilder): number {
  const record = reader.get(address);
  const asn = record?.autonomous_system_number;
  if (typeof asn !== "number" || !Number.isInteger(asn) || asn < 0 || asn > MAX_IPV4) {
    throw new Error(
      `ASN data "${path}": the record for ${address} has no autonomous_system_number; is it a GeoLite2-ASN database?`,
    );
  }
  const name = record?.autonomous_system_organization;
  if (table.needsName(asn)) table.setName(asn, typeof name === "string" ? name : "");
  return asn;
}

/**
 * Every network with data, in address order, with the record value that points at its data: a
 * depth-first walk of the search tree (MaxMind DB spec, "Search Tree Section"). A node met twice is
 * an alias (MaxMind's writer points IPv4-mapped, Teredo and 6to4 space at the IPv4 tree) and is
 * skipped: the IPv4 tree itself, at ::/96, comes first. Addresses in aliased space find no AS.
 */
function* networks(
  db: Buffer,
  { nodeCount, recordSize, ipVersion }: { nodeCount: number; recordSize: number; ipVersion: number },
): Generator<{ record: number; first: IpAddress; last: IpAddress }> {
  const bits = ipVersion === 4 ? 32n : 128n;
  const seen = new Uint8Array(nodeCount);
  const stack = [{ record: 0, depth: 0n, prefix: 0n }];
  while (stack.length > 0) {
    const { record, depth, prefix } = stack.pop()!;
    if (record > nodeCount) yield { record, ...bounds(prefix << (bits - depth), bits - depth) };
    if (record >= nodeCount || seen[record] === 1) continue;
    seen[record] = 1;
    // Right first, so that the left (0) branch is walked first.
    stack.push({ record: child(db, recordSize, record, 1), depth: depth + 1n, prefix: (prefix << 1n) | 1n });
    stack.push({ record: child(db, recordSize, record, 0), depth: depth + 1n, prefix: prefix << 1n });
  }
}

/** The first and last address of a network: IPv4 inside ::/96, where an IPv6 tree keeps IPv4. */
function bounds(start: bigint, hostBits: bigint): { first: IpAddress; last: IpAddress } {
  const end = start | ((1n << hostBits) - 1n);
  const address = (value: bigint): IpAddress =>
    end <= MAX_IPV4 ? { version: 4, value: Number(value) } : { version: 6, value };
  return { first: address(start), last: address(end) };
}

/** The left (0) or right (1) record of a node; MaxMind DB spec, "Node Layout". */
function child(db: Buffer, recordSize: number, node: number, bit: 0 | 1): number {
  const at = (node * recordSize) / 4;
  if (recordSize === 24) return db.readUIntBE(at + 3 * bit, 3);
  if (recordSize === 32) return db.readUInt32BE(at + 4 * bit);
  // 28 bits: the middle byte's high nibble tops the left record, its low nibble the right one.
  const middle = db[at + 3]!;
  return (bit === 0 ? middle >> 4 : middle & 0x0f) * 2 ** 24 + db.readUIntBE(at + 4 * bit, 3);
}
