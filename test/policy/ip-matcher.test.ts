// The compiled IP matcher: most specific first, expiry, covering, and ipaddr.js / a full scan as oracles.
import { describe, expect, it, test } from "vitest";
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { parseCidr } from "../../policy/cidr";
import { formatIp, parseIp, type IpAddress } from "../../policy/ip";
import { compileIpMatcher, type MatchableRule } from "../../policy/ip-matcher";

function rule(id: string, text: string, expiresAt: number | null = null): MatchableRule {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return { id, network: parsed.network, text: parsed.text, expiresAt };
}

function ip(text: string): IpAddress {
  const parsed = parseIp(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.address;
}

const NOW = Date.parse("2026-11-24T12:00:00Z");

describe("compileIpMatcher", () => {
  const matcher = compileIpMatcher([
    rule("single", "198.51.100.7"),
    rule("net24", "203.0.113.0/24"),
    rule("net8", "10.0.0.0/8"),
    rule("net16-in-8", "10.20.0.0/16"),
    rule("v6-64", "2001:db8:1::/64"),
    rule("v6-single", "2001:db8::42"),
  ]);

  test.each([
    ["198.51.100.7", "single"],
    ["198.51.100.8", null],
    ["203.0.113.0", "net24"],
    ["203.0.113.255", "net24"],
    ["203.0.114.0", null],
    ["10.255.1.1", "net8"],
    ["10.20.3.4", "net16-in-8"],
    ["::ffff:203.0.113.5", "net24"],
    ["::ffff:198.51.100.8", null],
    ["2001:db8:1::9", "v6-64"],
    ["2001:db8:1:0:ffff:ffff:ffff:ffff", "v6-64"],
    ["2001:db8:1:1::", null],
    ["2001:db8::42", "v6-single"],
    ["2001:db8::43", null],
  ])("%s matches %s (most specific first)", (address, id) => {
    expect(matcher.match(ip(address), NOW)?.id ?? null).toBe(id);
  });

  it("ignores expired rules and honours ones that expire later", () => {
    const expiring = compileIpMatcher([rule("old", "192.0.2.0/24", NOW - 1), rule("soon", "192.0.2.1", NOW + 1000)]);
    expect(expiring.match(ip("192.0.2.9"), NOW)).toBeNull();
    expect(expiring.match(ip("192.0.2.1"), NOW)?.id).toBe("soon");
    expect(expiring.match(ip("192.0.2.1"), NOW + 1000)).toBeNull();
  });

  it("keeps the longer-lived of two rules on one network", () => {
    const twice = compileIpMatcher([
      rule("short", "192.0.2.0/24", NOW + 10),
      rule("forever", "192.0.2.0/24"),
      rule("mid", "192.0.2.0/24", NOW + 99),
    ]);
    expect(twice.match(ip("192.0.2.3"), NOW + 100)?.id).toBe("forever");
  });

  it("finds the rule that covers a network for as long as asked", () => {
    const rules = compileIpMatcher([rule("wide", "10.0.0.0/8", NOW + 1000), rule("forever", "172.16.0.0/12")]);
    const net = (text: string) => rule("x", text).network;
    expect(rules.covering(net("10.1.0.0/16"), NOW + 500)?.id).toBe("wide");
    expect(rules.covering(net("10.1.0.0/16"), NOW + 2000)).toBeNull();
    expect(rules.covering(net("10.1.0.0/16"), null)).toBeNull();
    expect(rules.covering(net("172.16.5.0/24"), null)?.id).toBe("forever");
    expect(rules.covering(net("0.0.0.0/0"), null)).toBeNull();
  });

  it("matches everything with /0 and nothing with no rules", () => {
    expect(compileIpMatcher([rule("all", "0.0.0.0/0")]).match(ip("8.8.8.8"), NOW)?.id).toBe("all");
    expect(compileIpMatcher([rule("all6", "::/0")]).match(ip("2001:db8::1"), NOW)?.id).toBe("all6");
    expect(compileIpMatcher([]).match(ip("8.8.8.8"), NOW)).toBeNull();
  });
});

describe("with many rules, where the bucket index is large", () => {
  it("matches exactly what a scan of every rule matches", () => {
    const rules = fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 12, max: 32 })), {
      minLength: 2000,
      maxLength: 4000,
    });
    fc.assert(
      fc.property(
        rules,
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 200, maxLength: 200 }),
        (raw, probes) => {
          const list = raw.map(([value, prefix], i) => rule(`r${i}`, `${formatIp({ version: 4, value })}/${prefix}`));
          const matcher = compileIpMatcher(list);
          // Probe each rule's first and last address too: the edges of intervals and buckets.
          const edges = list.flatMap((r) => [
            r.network.start as number,
            ((r.network.start as number) + 2 ** (32 - r.network.prefix) - 1) >>> 0,
          ]);
          for (const value of [...probes, ...edges.slice(0, 400)]) {
            const scan = list.some((r) => {
              const mask = r.network.prefix === 0 ? 0 : (0xffffffff << (32 - r.network.prefix)) >>> 0;
              return (value & mask) >>> 0 === r.network.start;
            });
            expect(matcher.match({ version: 4, value }, NOW) !== null).toBe(scan);
          }
        },
      ),
      { seed: 6, numRuns: 15 },
    );
  });
});

describe("against ipaddr.js as an oracle", () => {
  const v4Rule = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 8, max: 32 }));
  // Addresses drawn near the rules so that matches are common, plus some anywhere.
  it("matches an IPv4 address exactly when some rule's range contains it", () => {
    fc.assert(
      fc.property(
        fc.array(v4Rule, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 20 }),
        fc.nat(),
        (raw, others, pick) => {
          const rules = raw.map(([value, prefix], i) => rule(`r${i}`, `${formatIp({ version: 4, value })}/${prefix}`));
          const matcher = compileIpMatcher(rules);
          const near = raw.map(([value], i) => (value + i * pick) >>> 0);
          for (const value of [...near, ...others]) {
            const text = formatIp({ version: 4, value });
            const oracle = rules.some((r) =>
              ipaddr.parse(text).match(ipaddr.parseCIDR(r.text.includes("/") ? r.text : `${r.text}/32`)),
            );
            expect(matcher.match(ip(text), NOW) !== null).toBe(oracle);
          }
        },
      ),
      { seed: 4, numRuns: 300 },
    );
  });

  it("matches an IPv6 address exactly when some rule's range contains it", () => {
    const group = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    const addr = fc.array(group, { minLength: 8, maxLength: 8 }).map((g) => new ipaddr.IPv6(g).toString());
    fc.assert(
      fc.property(
        fc.array(fc.tuple(addr, fc.integer({ min: 16, max: 128 })), { minLength: 1, maxLength: 30 }),
        fc.array(addr, { maxLength: 20 }),
        (raw, others) => {
          const rules = raw
            .map(([text, prefix], i) => rule(`r${i}`, `${text}/${prefix}`))
            .filter((r) => r.network.version === 6);
          const matcher = compileIpMatcher(rules);
          for (const text of [...raw.map(([t]) => t), ...others]) {
            const address = ip(text);
            if (address.version !== 6 || address.value >> 32n === 0xffffn) continue;
            const oracle = rules.some((r) =>
              ipaddr.parse(text).match(ipaddr.parseCIDR(r.text.includes("/") ? r.text : `${r.text}/128`)),
            );
            expect(matcher.match(address, NOW) !== null).toBe(oracle);
          }
        },
      ),
      { seed: 5, numRuns: 200 },
    );
  });
});

describe("rules added and removed after the compile", () => {
  const v4 = fc
    .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 8, max: 32 }))
    .map(([value, prefix]) => `${formatIp({ version: 4, value })}/${prefix}`);
  const v6 = fc
    .tuple(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }), fc.integer({ min: 16, max: 128 }))
    .map(([groups, prefix]) => `${new ipaddr.IPv6(groups).toString()}/${prefix}`);
  const expiry = fc.constantFrom(null, NOW - 1, NOW + 1000);
  const rules = fc.array(fc.tuple(fc.oneof(v4, v6), expiry), { maxLength: 30 });

  /** The network a match names: which of two rules on one network is named may differ, the network may not. */
  const found = (matched: MatchableRule | null) => (matched === null ? null : `${matched.text}`);

  it("match and cover as a fresh compile of the rules that remain", () => {
    fc.assert(
      fc.property(rules, rules, fc.array(fc.nat(), { maxLength: 15 }), (compiled, added, picks) => {
        const first = compiled.map(([text, expiresAt], i) => rule(`c${i}`, text, expiresAt));
        const later = added.map(([text, expiresAt], i) => rule(`a${i}`, text, expiresAt));
        const all = [...first, ...later];
        const gone = new Set(all.length === 0 ? [] : picks.map((pick) => all[pick % all.length]!.id));
        const removed = { count: 0, has: (id: string) => gone.has(id) };
        const changed = compileIpMatcher(first, removed);
        for (const each of later) changed.add(each);
        removed.count = gone.size;
        const fresh = compileIpMatcher(all.filter((each) => !gone.has(each.id)));
        for (const each of all) {
          const { network } = each;
          const start: IpAddress =
            network.version === 4 ? { version: 4, value: network.start } : { version: 6, value: network.start };
          expect(found(changed.match(start, NOW))).toBe(found(fresh.match(start, NOW)));
          for (const until of [null, NOW + 500])
            expect(changed.covering(network, until) !== null).toBe(fresh.covering(network, until) !== null);
        }
      }),
      { seed: 8, numRuns: 400 },
    );
  });

  it("holds a rule added twice once", () => {
    const held = rule("held", "192.0.2.0/24");
    const matcher = compileIpMatcher([held]);
    matcher.add(held);
    matcher.add(rule("new", "2001:db8::/64"));
    matcher.add(rule("new", "2001:db8::/64"));
    expect(matcher.size).toBe(2);
  });
});
