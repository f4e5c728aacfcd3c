// The strict address parser: every lenient or malformed form refused with its reason; ipaddr.js as oracle.
import { describe, expect, it, test } from "vitest";
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { formatIp, parseIp, unmapIpv4 } from "../../policy/ip";

function v4(text: string): number {
  const result = parseIp(text);
  if (!result.ok || result.address.version !== 4) throw new Error(`not IPv4: ${text}`);
  return result.address.value;
}

function v6(text: string): bigint {
  const result = parseIp(text);
  if (!result.ok || result.address.version !== 6) throw new Error(`not IPv6: ${text}`);
  return result.address.value;
}

describe("parseIp accepts", () => {
  test.each([
    ["0.0.0.0", 0],
    ["203.0.113.7", 0xcb007107],
    ["255.255.255.255", 0xffffffff],
    ["  10.0.0.1\t", 0x0a000001],
  ])("the IPv4 address %j", (text, value) => {
    expect(v4(text)).toBe(value);
  });

  test.each([
    ["::", 0n],
    ["::1", 1n],
    ["2001:db8::1", 0x20010db8000000000000000000000001n],
    ["2001:DB8:0:0:0:0:0:1", 0x20010db8000000000000000000000001n],
    ["fe80::", 0xfe800000000000000000000000000000n],
    ["1:2:3:4:5:6:7:8", 0x00010002000300040005000600070008n],
    ["::ffff:203.0.113.5", 0xffffcb007105n],
    ["64:ff9b::192.0.2.33", 0x0064ff9b0000000000000000c0000221n],
    ["0001:0002::", 0x00010002000000000000000000000000n],
  ])("the IPv6 address %j", (text, value) => {
    expect(v6(text)).toBe(value);
  });
});

describe("parseIp rejects, saying why", () => {
  test.each([
    ["", "ip_empty", "Enter an IP address"],
    ["256.1.1.1", "ip_octet_range", "256 is out of range: each number of an IPv4 address is 0 to 255."],
    ["01.2.3.4", "ip_leading_zero", `"01" has a leading zero, which some systems read as octal: write 1 instead.`],
    ["010.0.0.1", "ip_leading_zero", "write 10 instead"],
    ["1.2.3", "ip_parts", `"1.2.3" has 3 parts: an IPv4 address has exactly four numbers separated by dots.`],
    ["127.1", "ip_parts", "has 2 parts"],
    ["1.2.3.4.5", "ip_parts", "has 5 parts"],
    ["1..2.3", "ip_empty_part", "has an empty part"],
    [
      "0x7f.0.0.1",
      "ip_not_decimal",
      `"0x7f" is not a decimal number: write an IPv4 address as four decimal numbers, e.g. 127.0.0.1.`,
    ],
    ["example.com", "ip_invalid", `"example.com" is not an IP address`],
    ["-1.2.3.4", "ip_invalid", "is not an IP address"],
    ["fe80::1%eth0", "ip_zone", "has a zone id"],
    ["[::1]", "ip_brackets", "without [ and ]"],
    ["1::2::3", "ip6_double_colon", `uses "::" more than once`],
    ["1:2:3:4:5:6:7", "ip6_groups", "has 7 groups"],
    ["1:2:3:4:5:6:7:8:9", "ip6_groups", "has 9 groups"],
    ["1:2:3:4::5:6:7:8", "ip6_groups", "too many groups"],
    [":1:2:3:4:5:6:7", "ip6_empty_group", `has a stray ":"`],
    ["1:2:3:4:5:6:7:", "ip6_empty_group", `has a stray ":"`],
    ["12345::", "ip6_group", `"12345" in "12345::" is not a group of one to four hex digits.`],
    ["g::1", "ip6_group", "is not a group"],
    ["::ffff:1.2.3.256", "ip_octet_range", "256 is out of range"],
    ["::ffff:01.2.3.4", "ip_leading_zero", "leading zero"],
    ["1.2.3.4::", "ip6_group", "is not a group"],
  ])("%j (%s)", (text, code, message) => {
    const result = parseIp(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message).toContain(message);
  });
});

describe("formatIp", () => {
  test.each([
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    ["2001:0:0:1:0:0:0:1", "2001:0:0:1::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["0:0:0:0:0:0:0:0", "::"],
    ["::FFFF:203.0.113.5", "::ffff:203.0.113.5"],
    ["203.0.113.7", "203.0.113.7"],
  ])("writes %j as %j (RFC 5952)", (text, canonical) => {
    const result = parseIp(text);
    expect(result.ok && formatIp(result.address)).toBe(canonical);
  });
});

it("reads an IPv4-mapped IPv6 address as the IPv4 address it carries", () => {
  const result = parseIp("::ffff:203.0.113.5");
  expect(result.ok && unmapIpv4(result.address)).toEqual({ version: 4, value: v4("203.0.113.5") });
  const plain = parseIp("2001:db8::1");
  expect(plain.ok && unmapIpv4(plain.address)).toEqual(plain.ok && plain.address);
});

describe("against ipaddr.js as an oracle", () => {
  const octet = fc.integer({ min: 0, max: 255 });

  it("agrees on every dotted quad", () => {
    fc.assert(
      fc.property(fc.tuple(octet, octet, octet, octet), (octets) => {
        const text = octets.join(".");
        const oracle = ipaddr.IPv4.parse(text).toByteArray();
        expect(v4(text)).toBe(((oracle[0]! << 24) | (oracle[1]! << 16) | (oracle[2]! << 8) | oracle[3]!) >>> 0);
      }),
      { seed: 1, numRuns: 500 },
    );
  });

  it("accepts a digits-and-dots string only when ipaddr.js reads it as four decimal parts without leading zeros", () => {
    const piece = fc.oneof(
      fc.constantFrom("0", "00", "01", "1", "25", "255", "256", "999", "007", ""),
      fc.nat(300).map(String),
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (parts) => {
        const text = parts.join(".");
        const ours = parseIp(text);
        const strictOracle =
          ipaddr.IPv4.isValidFourPartDecimal(text) && parts.every((p) => p === "0" || !p.startsWith("0"));
        expect(ours.ok).toBe(strictOracle);
        if (ours.ok) expect(ours.address.value).toBe(v4(ipaddr.IPv4.parse(text).toString()));
      }),
      { seed: 2, numRuns: 1000 },
    );
  });

  it("reads every IPv6 text ipaddr.js writes, in full and compressed form, and writes what RFC 5952 says", () => {
    // Groups are often zero so that "::" compression and its tie rules are exercised.
    const group = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const value = groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
        const oracle = new ipaddr.IPv6(groups);
        expect(v6(oracle.toNormalizedString())).toBe(value);
        expect(v6(oracle.toString())).toBe(value);
        if (!oracle.isIPv4MappedAddress()) expect(formatIp({ version: 6, value })).toBe(oracle.toRFC5952String());
      }),
      { seed: 3, numRuns: 1000 },
    );
  });

  it("accepts a hex-and-colons string only when ipaddr.js reads it, with the same value", () => {
    // Pieces that make near misses: five digits, stray and repeated colons, "::" twice, too few or many groups.
    const piece = fc.oneof(
      fc.constantFrom(":", "::", ":::", "0", "fFfF", "12345", ""),
      fc.integer({ min: 0, max: 0xffff }).map((g) => g.toString(16)),
      fc.integer({ min: 0, max: 0xffff }).map((g) => g.toString(16).toUpperCase().padStart(4, "0")),
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), fc.boolean(), (pieces, colons) => {
        const text = colons ? pieces.join(":") : pieces.join("");
        const ours = parseIp(text);
        expect(ours.ok).toBe(ipaddr.IPv6.isValid(text));
        if (ours.ok) expect(ours.address.value).toBe(v6(ipaddr.IPv6.parse(text).toNormalizedString()));
      }),
      { seed: 4, numRuns: 3000 },
    );
  });
});
