// Networks: parsing `address/prefix` strictly, clearing host bits, and containment.
// A rule's network is what the console shows back, so the text it is stored as is canonical.

import { formatIp, isMappedIpv4, parseIp, unmapIpv4, type IpAddress, type IpError } from "./ip";

/** A network's first address and prefix length. A single address is a /32 or /128. */
export type Network = { version: 4; start: number; prefix: number } | { version: 6; start: bigint; prefix: number };

export type CidrResult =
  { ok: true; network: Network; text: string; hostBitsCleared: boolean } | { ok: false; error: IpError };

const BITS = { 4: 32, 6: 128 } as const;
const ALL_V6 = (1n << 128n) - 1n;

/** The IPv4 netmask of a prefix length as a uint32. */
export function maskV4(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The IPv6 netmask of a prefix length. */
export function maskV6(prefix: number): bigint {
  return (ALL_V6 << BigInt(128 - prefix)) & ALL_V6;
}

/** The network of `prefix` bits that holds `address`. */
export function networkOf(address: IpAddress, prefix: number): Network {
  return address.version === 4
    ? { version: 4, start: (address.value & maskV4(prefix)) >>> 0, prefix }
    : { version: 6, start: address.value & maskV6(prefix), prefix };
}

/**
 * Parses an address or a CIDR network, trimmed; host bits are cleared and reported.
 * An IPv4-mapped IPv6 network of /96 or longer becomes the IPv4 network it stands for,
 * because visitors in that form are matched as IPv4.
 * @example parseCidr("203.0.113.7/24") // { ok: true, text: "203.0.113.0/24", hostBitsCleared: true, … }
 */
export function parseCidr(input: string): CidrResult {
  const text = input.trim();
  const slash = text.indexOf("/");
  const parsed = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!parsed.ok) return parsed;
  const address = parsed.address;
  const prefix = slash < 0 ? BITS[address.version] : parsePrefix(text.slice(slash + 1), address.version, text);
  if (typeof prefix !== "number") return { ok: false, error: prefix };
  const network = unmapNetwork(networkOf(address, prefix));
  const hostBitsCleared =
    network.version === 4 ? network.start !== unmapValue(address) : network.start !== address.value;
  return { ok: true, network, text: formatNetwork(network), hostBitsCleared };
}

function parsePrefix(digits: string, version: 4 | 6, whole: string): number | IpError {
  const max = BITS[version];
  if (digits === "") {
    return {
      code: "cidr_no_prefix",
      message: `"${whole}" ends with "/": add a prefix length from 0 to ${max}, or remove the "/".`,
    };
  }
  if (!/^\d+$/.test(digits)) {
    return {
      code: "cidr_prefix",
      message: `"/${digits}" is not a prefix length: write a whole number from 0 to ${max}.`,
    };
  }
  if (digits.length > 1 && digits.startsWith("0")) {
    return { code: "cidr_prefix_leading_zero", message: `"/${digits}" has a leading zero: write /${Number(digits)}.` };
  }
  const prefix = Number(digits);
  if (prefix > max) {
    return {
      code: "cidr_prefix_range",
      message: `/${digits} is too long: an IPv${version} prefix length is 0 to ${max}.`,
    };
  }
  return prefix;
}

function unmapNetwork(network: Network): Network {
  if (network.version === 6 && network.prefix >= 96 && isMappedIpv4(network.start)) {
    return { version: 4, start: Number(network.start & 0xffffffffn), prefix: network.prefix - 96 };
  }
  return network;
}

function unmapValue(address: IpAddress): number {
  return address.version === 4 ? address.value : Number(address.value & 0xffffffffn);
}

/** `203.0.113.0/24`, or the bare address for a single-address network. */
export function formatNetwork(network: Network): string {
  const address: IpAddress =
    network.version === 4 ? { version: 4, value: network.start } : { version: 6, value: network.start };
  const text = formatIp(address);
  return network.prefix === BITS[network.version] ? text : `${text}/${network.prefix}`;
}

/** An address made anonymous keeps its /24 (IPv4) or /48 (IPv6): the area of a provider, not a subscriber. */
const ANONYMOUS_PREFIX = { 4: 24, 6: 48 } as const;

/**
 * The network an address is kept or shown as once anonymous (retention, and agents who see networks);
 * a narrower network widens to it. Text that is neither (a wider network, or no address) comes back as it is.
 * @example anonymousNetwork("203.0.113.7") // "203.0.113.0/24"
 * @example anonymousNetwork("2001:db8:1:2::/64") // "2001:db8:1::/48"
 */
export function anonymousNetwork(text: string): string {
  const parsed = text.includes("/") ? parseCidr(text) : null;
  if (parsed?.ok) {
    const { network } = parsed;
    const prefix = ANONYMOUS_PREFIX[network.version];
    if (network.prefix <= prefix) return text;
    const start: IpAddress =
      network.version === 4 ? { version: 4, value: network.start } : { version: 6, value: network.start };
    return formatNetwork(networkOf(start, prefix));
  }
  const address = parseIp(text);
  if (!address.ok) return text;
  const unmapped = unmapIpv4(address.address);
  return formatNetwork(networkOf(unmapped, ANONYMOUS_PREFIX[unmapped.version]));
}

/**
 * What may be an address or a network inside free text (a rule's comment, a notice): dotted quads, and
 * runs of hex digits with two or more colons. Each is checked by the strict parsers before it changes.
 */
const ADDRESS_LIKE =
  /(?<![\w:.])(?:[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}(?:\/\d{1,3})?|\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?)(?![\w:])/gi;

/** `text` with every address or network in it kept as its anonymous network. */
export function anonymizeText(text: string): string {
  return text.replace(ADDRESS_LIKE, (found) => anonymousNetwork(found));
}

/**
 * A JSON value with every string in it anonymised (anonymizeText): stored events, audit details and
 * answers keep addresses under many names (a chat's `visitorIp`, its `addresses`, a rule's text, a
 * comment's words), and a list of names would miss the next one added.
 */
export function anonymizeValue<T>(value: T): T {
  if (typeof value === "string") return anonymizeText(value) as T;
  if (Array.isArray(value)) return value.map(anonymizeValue) as T;
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, anonymizeValue(field)])) as T;
  return value;
}

/** A stable key for a network, for maps and duplicate detection. */
export function networkKey(network: Network): string {
  return `${network.version}/${network.prefix}/${network.start.toString(16)}`;
}
