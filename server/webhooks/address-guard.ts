// Whether a webhook URL may be delivered to, decided on the addresses its name resolves to at each
// delivery: a webhook must not become a way into the operator's network (loopback, private ranges,
// cloud metadata at 169.254.169.254). The delivery then connects to the very address checked.

import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import type { LookupFunction } from "node:net";
import { parseCidr } from "../../policy/cidr";
import { formatIp, parseIp, unmapIpv4, type IpAddress } from "../../policy/ip";
import { compileIpMatcher, type MatchableRule } from "../../policy/ip-matcher";

/** Where a delivery may go: the URL and the one resolved address it must connect to. */
export type Destination =
  { ok: true; url: URL; address: string; family: 4 | 6 } | { ok: false; code: DestinationRefusal; message: string };

type DestinationRefusal = "url_invalid" | "url_scheme" | "url_credentials" | "dns_failed" | "address_refused";

/** Resolves a name to all its addresses, as `dns.lookup` with `all: true`; tests inject their own. */
export type Resolve = (hostname: string) => Promise<readonly LookupAddress[]>;

export interface GuardOptions {
  /** `WEBHOOKS_ALLOW_PRIVATE=1`: any address, and plain http:, for tests and closed networks. */
  allowPrivate: boolean;
  resolve?: Resolve;
}

/** A range no webhook may reach. */
export interface SpecialRange {
  /** What the range is for, e.g. `loopback`. */
  name: string;
  /** The range as written, e.g. `127.0.0.0/8`. */
  network: string;
}

// The IANA special-purpose address registries (RFC 6890), less the ranges that are globally
// reachable, plus multicast and the reserved space. IPv6 outside 2000::/3 is refused whatever its name.
const SPECIAL_RANGES: readonly SpecialRange[] = [
  { network: "0.0.0.0/8", name: "this network" }, // RFC 791 §3.2; 0.0.0.0 reaches the local host on Linux
  { network: "10.0.0.0/8", name: "private" }, // RFC 1918
  { network: "100.64.0.0/10", name: "shared address space (CGNAT)" }, // RFC 6598
  { network: "127.0.0.0/8", name: "loopback" }, // RFC 1122 §3.2.1.3
  { network: "169.254.0.0/16", name: "link-local" }, // RFC 3927; cloud metadata services live here
  { network: "172.16.0.0/12", name: "private" }, // RFC 1918
  { network: "192.0.0.0/24", name: "IETF protocol assignments" }, // RFC 6890 §2.2.2
  { network: "192.0.2.0/24", name: "documentation" }, // RFC 5737
  { network: "192.88.99.0/24", name: "6to4 relay anycast" }, // RFC 7526 (deprecated)
  { network: "192.168.0.0/16", name: "private" }, // RFC 1918
  { network: "198.18.0.0/15", name: "benchmarking" }, // RFC 2544
  { network: "198.51.100.0/24", name: "documentation" }, // RFC 5737
  { network: "203.0.113.0/24", name: "documentation" }, // RFC 5737
  { network: "224.0.0.0/4", name: "multicast" }, // RFC 5771
  { network: "240.0.0.0/4", name: "reserved" }, // RFC 1112 §4; holds 255.255.255.255, the broadcast
  { network: "::/128", name: "unspecified" }, // RFC 4291 §2.5.2
  { network: "::1/128", name: "loopback" }, // RFC 4291 §2.5.3
  { network: "::/96", name: "IPv4-compatible (deprecated)" }, // RFC 4291 §2.5.5.1
  { network: "64:ff9b:1::/48", name: "local-use NAT64" }, // RFC 8215
  { network: "100::/64", name: "discard-only" }, // RFC 6666
  { network: "2001::/32", name: "Teredo" }, // RFC 4380; its IPv4 parts are obfuscated, so refused whole
  { network: "2001:2::/48", name: "benchmarking" }, // RFC 5180
  { network: "2001:20::/28", name: "ORCHIDv2" }, // RFC 7343
  { network: "2001:db8::/32", name: "documentation" }, // RFC 3849
  { network: "3fff::/20", name: "documentation" }, // RFC 9637
  { network: "5f00::/16", name: "segment routing (SRv6) SIDs" }, // RFC 9602
  { network: "fc00::/7", name: "unique-local" }, // RFC 4193
  { network: "fe80::/10", name: "link-local" }, // RFC 4291 §2.5.6
  { network: "fec0::/10", name: "site-local (deprecated)" }, // RFC 3879
  { network: "ff00::/8", name: "multicast" }, // RFC 4291 §2.7
];

// Compiled once: every delivery checks every address its endpoint resolves to.
// A rule's id is its place in the table, which gives the range back as written.
const matcher = compileIpMatcher(SPECIAL_RANGES.map(toRule));

function toRule({ network }: SpecialRange, index: number): MatchableRule {
  const parsed = parseCidr(network);
  if (!parsed.ok) throw new Error(`special range ${network}: ${parsed.error.message}`);
  return { id: String(index), network: parsed.network, text: parsed.text, expiresAt: null };
}

const NAT64 = 0x0064_ff9bn << 96n; // 64:ff9b::/96, RFC 6052 §2.1
const SIX_TO_FOUR = 0x2002n; // 2002::/16, RFC 3056 §2
const GLOBAL_UNICAST = 1n; // 2000::/3, RFC 4291 §2.4: the top three bits 001

/**
 * The special range that holds `address`, or null for a public unicast address. An IPv4 address
 * carried in IPv6 (mapped, NAT64, 6to4) is judged as that IPv4 address: it reaches that host.
 * @example specialRange(parsed("::ffff:10.0.0.1")) // { name: "private", network: "10.0.0.0/8" }
 */
export function specialRange(address: IpAddress): SpecialRange | null {
  const judged = carriedIpv4(address);
  const rule = matcher.match(judged, 0);
  if (rule !== null) return SPECIAL_RANGES[Number(rule.id)] ?? null;
  if (judged.version === 6 && judged.value >> 125n !== GLOBAL_UNICAST) {
    return { name: "not global unicast", network: "outside 2000::/3" };
  }
  return null;
}

/** The IPv4 address an IPv6 address carries by a standard translation, or the address itself. */
function carriedIpv4(address: IpAddress): IpAddress {
  if (address.version === 4) return address;
  if (address.value >> 32n === NAT64 >> 32n) return { version: 4, value: Number(address.value & 0xffffffffn) };
  if (address.value >> 112n === SIX_TO_FOUR) return { version: 4, value: Number((address.value >> 80n) & 0xffffffffn) };
  return unmapIpv4(address);
}

/**
 * Checks a webhook URL and the addresses its name resolves to now; refuses the whole name if any
 * address is special, so a name cannot hide an internal address among public ones.
 * @example await checkDestination("https://hooks.example.com/x", { allowPrivate: false })
 * // { ok: true, url, address: "93.184.215.14", family: 4 }
 */
export async function checkDestination(text: string, options: GuardOptions): Promise<Destination> {
  const url = URL.canParse(text) ? new URL(text) : null;
  if (url === null) return refuse("url_invalid", `"${text}" is not a URL.`);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && options.allowPrivate)) {
    return refuse("url_scheme", `${url.protocol} is not allowed: webhook endpoints use https:.`);
  }
  // Node would send these as Basic authentication; refused rather than sent or silently dropped.
  if (url.username !== "" || url.password !== "") {
    return refuse("url_credentials", "Remove the user name and password from the URL.");
  }
  const resolved = await resolveHost(url.hostname, options.resolve ?? resolveAll);
  if ("ok" in resolved) return resolved;
  return pickAddress(url, resolved, options.allowPrivate);
}

/** The name's addresses, or why there are none. An IP literal is its own address. */
async function resolveHost(hostname: string, resolve: Resolve): Promise<readonly LookupAddress[] | Destination> {
  // URL keeps IPv6 literals in brackets.
  const host = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  const literal = parseIp(host);
  if (literal.ok) return [{ address: host, family: literal.address.version }];
  try {
    const addresses = await resolve(host);
    if (addresses.length > 0) return addresses;
    return refuse("dns_failed", `${host} has no address.`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return refuse("dns_failed", `${host} could not be resolved (${code}).`);
  }
}

function pickAddress(url: URL, addresses: readonly LookupAddress[], allowPrivate: boolean): Destination {
  for (const { address } of addresses) {
    const parsed = parseIp(address);
    // A zone id (fe80::1%eth0) or anything unreadable: not an address this guard can vouch for.
    if (!parsed.ok)
      return refuse("address_refused", `${url.hostname} resolves to ${address}, which cannot be checked.`);
    const range = allowPrivate ? null : specialRange(parsed.address);
    if (range !== null) {
      const shown = formatIp(parsed.address);
      return refuse(
        "address_refused",
        `${url.hostname} resolves to ${shown}, in ${range.network} (${range.name}): webhooks go to public addresses only.`,
      );
    }
  }
  // Checked above, so not undefined; the first is the one the system itself would try first.
  const first = addresses[0] as LookupAddress;
  return { ok: true, url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

function refuse(code: DestinationRefusal, message: string): Destination {
  return { ok: false, code, message };
}

const resolveAll: Resolve = (hostname) => lookup(hostname, { all: true });

/**
 * A `lookup` for node:http(s) that answers the address already checked, whatever it is asked: the
 * request keeps the URL's name for its Host header and TLS server name, but a second resolution (a
 * DNS rebinding to 127.0.0.1 between check and connect) never happens.
 */
export function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    // Node asks for `all` when it races address families (autoSelectFamily, on by default since 20).
    if (options.all === true) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/**
 * A refusal as the owner reads it (the console, the deliveries list): what the URL itself shows is
 * said; what its name resolves to is not, or an owner could map the operator's network through it.
 */
export function ownerMessage(refusal: Extract<Destination, { ok: false }>): string {
  if (refusal.code === "dns_failed") return "The endpoint's name could not be resolved to a public address.";
  if (refusal.code === "address_refused")
    return "The endpoint's address is not public: webhooks reach only public addresses.";
  return refusal.message;
}
