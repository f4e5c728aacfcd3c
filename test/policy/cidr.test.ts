// Networks: host bits cleared and shown, IPv4-mapped networks, every malformed prefix with its message.
import { describe, expect, test } from "vitest";
import { anonymizeText, anonymousNetwork, parseCidr } from "../../policy/cidr";

describe("parseCidr", () => {
  test.each([
    ["203.0.113.7/24", "203.0.113.0/24", true],
    ["203.0.113.0/24", "203.0.113.0/24", false],
    ["203.0.113.7", "203.0.113.7", false],
    ["203.0.113.7/32", "203.0.113.7", false],
    ["10.1.2.3/8", "10.0.0.0/8", true],
    ["1.2.3.4/0", "0.0.0.0/0", true],
    ["2001:db8::1/64", "2001:db8::/64", true],
    ["2001:DB8:0:0:1::/48", "2001:db8::/48", true],
    ["2001:db8::1/128", "2001:db8::1", false],
    ["::/0", "::/0", false],
    [" 198.51.100.9/31 ", "198.51.100.8/31", true],
  ])("stores %j as %j and says whether host bits were cleared", (input, text, cleared) => {
    const result = parseCidr(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.text).toBe(text);
    expect(result.hostBitsCleared).toBe(cleared);
  });

  test.each([
    ["::ffff:203.0.113.5", "203.0.113.5", 4],
    ["::ffff:203.0.113.5/120", "203.0.113.0/24", 4],
    ["::ffff:0:0/96", "0.0.0.0/0", 4],
    ["::ffff:0:0/95", "::fffe:0:0/95", 6],
  ])("turns the IPv4-mapped network %j into %j", (input, text, version) => {
    const result = parseCidr(input);
    expect(result.ok && result.text).toBe(text);
    expect(result.ok && result.network.version).toBe(version);
  });

  test.each([
    ["1.2.3.4/33", "cidr_prefix_range", "/33 is too long: an IPv4 prefix length is 0 to 32."],
    ["::1/129", "cidr_prefix_range", "/129 is too long: an IPv6 prefix length is 0 to 128."],
    ["1.2.3.4/", "cidr_no_prefix", `"1.2.3.4/" ends with "/": add a prefix length from 0 to 32, or remove the "/".`],
    ["1.2.3.4/024", "cidr_prefix_leading_zero", `"/024" has a leading zero: write /24.`],
    ["1.2.3.4/-1", "cidr_prefix", `"/-1" is not a prefix length`],
    ["1.2.3.4/24/8", "cidr_prefix", "is not a prefix length"],
    ["1.2.3.4/ 24", "cidr_prefix", "is not a prefix length"],
    ["256.1.1.1/24", "ip_octet_range", "256 is out of range"],
    ["01.2.3.4/8", "ip_leading_zero", "leading zero"],
    ["/24", "ip_empty", "Enter an IP address"],
    ["fe80::1%eth0/64", "ip_zone", "zone id"],
  ])("rejects %j (%s)", (input, code, message) => {
    const result = parseCidr(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message).toContain(message);
  });
});

describe("anonymousNetwork", () => {
  test.each([
    ["an IPv4 address keeps its /24", "203.0.113.7", "203.0.113.0/24"],
    ["an IPv6 address keeps its /48", "2001:db8:1234:5678::9", "2001:db8:1234::/48"],
    ["an IPv4-mapped address is IPv4", "::ffff:198.51.100.9", "198.51.100.0/24"],
    ["a narrower network widens", "2001:db8:1:2::/64", "2001:db8:1::/48"],
    ["a narrower IPv4 network widens", "203.0.113.16/28", "203.0.113.0/24"],
    ["a wider network stays", "10.0.0.0/8", "10.0.0.0/8"],
    ["an anonymous network stays", "198.51.100.0/24", "198.51.100.0/24"],
    ["what is no address stays", "v_abcdefghijklmnop", "v_abcdefghijklmnop"],
  ])("%s", (_case, input, kept) => {
    expect(anonymousNetwork(input)).toBe(kept);
  });
});

describe("anonymizeText", () => {
  test("replaces each address in a sentence and leaves times, dates and versions", () => {
    expect(
      anonymizeText(
        "browsers at 203.0.113.7 opened 7 chats; others share 2001:db8:1:2::9 at 10:02:00 on 2026-12-01, v1.2.3",
      ),
    ).toBe("browsers at 203.0.113.0/24 opened 7 chats; others share 2001:db8:1::/48 at 10:02:00 on 2026-12-01, v1.2.3");
  });

  test.each([
    ["a sentence's last word", "banned 203.0.113.7.", "banned 203.0.113.0/24."],
    ["a word before colons", "Note:: see below", "Note:: see below"],
    ["an ISO time", "2026-12-01T10:02:00.000Z", "2026-12-01T10:02:00.000Z"],
    ["an address in a URL", "http://198.51.100.4/shop", "http://198.51.100.0/24/shop"],
  ])("%s", (_case, text, kept) => {
    expect(anonymizeText(text)).toBe(kept);
  });
});
