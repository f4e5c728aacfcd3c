// Networks: host bits cleared and shown, IPv4-mapped networks, every malformed prefix with its message.
import { describe, expect, test } from "vitest";
import { parseCidr } from "../../policy/cidr";

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
