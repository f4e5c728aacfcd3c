// Sliding-window limits: what is refused and for how long, memory held and released, and the keys addresses are limited under.
import { describe, expect, it, test } from "vitest";
import { parseIp } from "../../../policy/ip";
import { ApiError } from "../../../server/http/errors";
import { addressKey, memoryRateLimit, verdictLimitKey } from "../../../server/protection/rate-limit";
import { WindowCounter } from "../../../server/protection/window-counter";

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

describe("verdictLimitKey", () => {
  test.each([
    ["203.0.113.7", "::ffff:203.0.113.7"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2:ffff::1"],
  ])("keys %s and %s the same", (a, b) => {
    const [x, y] = [parseIp(a), parseIp(b)];
    if (!x.ok || !y.ok) throw new Error("test addresses parse");
    expect(verdictLimitKey(x.address)).toBe(verdictLimitKey(y.address));
  });

  it("keys each IPv4 address apart, as a number", () => {
    const keys = ["0.0.0.0", "0.0.0.1", "127.255.255.255", "128.0.0.0", "255.255.255.255"].map((text) => {
      const parsed = parseIp(text);
      if (!parsed.ok) throw new Error(text);
      return verdictLimitKey(parsed.address);
    });
    expect(keys.every((key) => typeof key === "number")).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("WindowCounter", () => {
  it("refuses the hit past the limit, counting nothing for it, until the window ends", () => {
    const counter = new WindowCounter(2, 60_000);
    expect(counter.take("a", 0)).toBe(0);
    expect(counter.take("a", 1)).toBe(0);
    expect(counter.take("a", 30_000)).toBe(60_000);
    expect(counter.take("b", 30_000)).toBe(0);
    // The refused hits were not counted: a quarter into the next window, the last one's 2 weigh 1.5.
    expect(counter.take("a", 75_000)).toBeGreaterThan(0);
    expect(counter.take("a", 90_000)).toBe(0);
  });

  it("weighs the last window in, so a burst at a window's edge is not twice the limit", () => {
    const counter = new WindowCounter(10, 60_000);
    counter.take("first", 0);
    for (let i = 0; i < 10; i++) expect(counter.take("a", 59_000)).toBe(0);
    // Just past the edge the last window still counts almost whole.
    expect(counter.take("a", 61_000)).toBeGreaterThan(0);
    // Halfway through, half of it counts: five more fit, not ten.
    let taken = 0;
    while (counter.take("a", 90_000) === 0) taken++;
    expect(taken).toBe(5);
  });

  it("says how long until a refused cost would fit, and never for a cost above the limit", () => {
    const counter = new WindowCounter(100, 60_000);
    expect(counter.take("a", 0, 60)).toBe(0);
    // 60 taken, 50 more would need this window to end and 10 of its 60 to fade: 60 s + 10 s.
    expect(counter.take("a", 0, 50)).toBe(60_000 + 10_000);
    expect(counter.take("a", 0, 101)).toBe(Number.POSITIVE_INFINITY);
  });

  it("gives back what was refunded", () => {
    const counter = new WindowCounter(1000, 60_000);
    expect(counter.take("a", 0, 1000)).toBe(0);
    expect(counter.take("a", 1, 1)).toBeGreaterThan(0);
    counter.refund("a", 2, 600);
    expect(counter.take("a", 3, 600)).toBe(0);
  });

  it("drops a window's keys whole once two windows have passed, with no sweep", () => {
    const counter = new WindowCounter(5, 1000);
    for (let i = 0; i < 5000; i++) counter.take(`k${i}`, 10);
    expect(counter.size).toBe(5000);
    counter.take("late", 1500);
    expect(counter.size).toBe(5001);
    counter.take("later", 2600);
    expect(counter.size).toBe(2);
    counter.take("much later", 10_000);
    expect(counter.size).toBe(1);
  });

  it("lets new keys past its cap through uncounted, and still limits the keys it holds", () => {
    const counter = new WindowCounter(2, 60_000, 3);
    for (const key of ["a", "b", "c"]) counter.take(key, 0);
    for (let i = 0; i < 10; i++) expect(counter.take(`new${i}`, 0)).toBe(0);
    expect(counter.size).toBe(3);
    expect(counter.take("a", 0)).toBe(0);
    expect(counter.take("a", 0)).toBeGreaterThan(0);
  });
});

describe("memoryRateLimit", () => {
  it("refuses with the contract's 429 and a Retry-After in whole seconds", async () => {
    let now = 0;
    const limit = memoryRateLimit({ name: "requests", limit: 2, windowMs: 60_000 }, () => now);
    await limit.take("a");
    await limit.take("a");
    now = 30_000;
    const refused = await limit.take("a").then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({
      status: 429,
      code: "rate_limited",
      message: "Too many requests: try again in 60 s.",
      headers: { "Retry-After": "60" },
    });
    await expect(limit.take("b")).resolves.toBeUndefined();
  });

  it("takes a cost and refunds the unused rest", async () => {
    const limit = memoryRateLimit({ name: "uploads", limit: 1000, windowMs: 60_000 }, () => 0);
    await limit.take("a", 900);
    await expect(limit.take("a", 200)).rejects.toThrow("Too many uploads");
    await limit.refund("a", 500);
    await expect(limit.take("a", 200)).resolves.toBeUndefined();
  });
});
