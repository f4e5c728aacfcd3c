// Fixed-window limits and the keys addresses are limited under.
import { describe, expect, it, test } from "vitest";
import { parseIp } from "../../policy/ip";
import { addressKey, rateLimit } from "../../server/rate-limit";

describe("addressKey", () => {
  test.each([
    ["203.0.113.7", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"],
  ])("limits %s under %s", (ip, key) => {
    const parsed = parseIp(ip);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(addressKey(parsed.address)).toBe(key);
  });
});

describe("rateLimit", () => {
  it("refuses the hit past the limit until the window ends, saying when to retry", () => {
    const limit = rateLimit("requests", 2, 60_000);
    limit.hit("a", 0);
    limit.hit("a", 1);
    expect(() => limit.hit("a", 30_000)).toThrow("Too many requests: try again in 30 s.");
    expect(() => limit.hit("b", 30_000)).not.toThrow();
    expect(() => limit.hit("a", 60_000)).not.toThrow();
  });

  it("counts charged work against the next hit", () => {
    const bytes = rateLimit("uploads", 1000, 60_000);
    bytes.hit("a", 0);
    bytes.charge("a", 1, 999);
    expect(() => bytes.hit("a", 2)).toThrow("Too many uploads");
  });
});
