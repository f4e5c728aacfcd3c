// decide() over a compiled policy, with the reasons the console shows, and the policy document schema.
import fc from "fast-check";
import { describe, expect, it, test } from "vitest";
import { parseCidr } from "../../policy/cidr";
import { parseIp, type IpAddress } from "../../policy/ip";
import type { RuleEntry } from "../../policy/rules";
import { DEFAULT_POLICY, policyDocumentSchema, type PolicyDocument } from "../../policy/schema";
import { challengedBy, compilePolicy, decide, hiddenBy, type AsOf, type Visitor } from "../../policy/verdict";
import { parsePage } from "../../policy/website";

const NOW = Date.parse("2026-11-24T12:00:00Z");

function ip(text: string): IpAddress {
  const parsed = parseIp(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.address;
}

/** A stored rule: `AS…` an AS rule, `v_…` a visitor rule, else an address or network. */
function rule(id: string, text: string, expiresAt: number | null = null): RuleEntry {
  if (text.startsWith("AS")) return { id, target: { kind: "as", asn: Number(text.slice(2)) }, text, expiresAt };
  if (text.startsWith("v_")) return { id, target: { kind: "visitor", visitorId: text }, text, expiresAt };
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const full = parsed.network.prefix === (parsed.network.version === 4 ? 32 : 128);
  return { id, target: { kind: full ? "address" : "network", network: parsed.network }, text: parsed.text, expiresAt };
}

const BANNED_VISITOR = "v_bannedbannedbann";
const AMAZON: AsOf = { asn: 16509, name: "Amazon.com, Inc." };
const TELEKOM: AsOf = { asn: 3320, name: "Deutsche Telekom AG" };
const CLOUDFLARE: AsOf = { asn: 13335, name: "Cloudflare, Inc." };

/** A visitor with nothing but an address, a country and a page, unless `more` says otherwise. */
function who(address: string, country: string | null, page: string, more: Partial<Visitor> = {}): Visitor {
  return { ip: ip(address), country, page, visitorId: null, as: null, tor: false, agentsOnline: null, ...more };
}

const policy: PolicyDocument = {
  countries: { mode: "block", list: ["RU"] },
  websites: { allowed: ["shop.example", "*.shop.example"], blocked: ["shop.example/admin"] },
  files: DEFAULT_POLICY.files,
  networks: { hosting: "hide", tor: "hide" },
};
const compiled = compilePolicy(policy, [
  rule("r1", "203.0.113.0/24"),
  rule("r2", "2001:db8::/64"),
  rule("old", "198.51.100.0/24", NOW - 1),
  rule("r3", BANNED_VISITOR),
  rule("r4", "AS13335"),
]);

describe("decide", () => {
  test.each([
    ["an allowed visitor", "192.0.2.1", "DE", "https://shop.example/cart", true, []],
    ["a blocked network", "203.0.113.9", "DE", "https://shop.example/", false, ["ip"]],
    ["a blocked network in IPv4-mapped form", "::ffff:203.0.113.9", "DE", "https://shop.example/", false, ["ip"]],
    ["a blocked IPv6 network", "2001:db8::5", "DE", "https://shop.example/", false, ["ip"]],
    ["an expired rule", "198.51.100.4", "DE", "https://shop.example/", true, []],
    ["a blocked country", "192.0.2.1", "RU", "https://shop.example/", false, ["country"]],
    ["an unknown country in block mode", "192.0.2.1", null, "https://shop.example/", true, []],
    ["a subdomain page", "192.0.2.1", "DE", "https://help.shop.example/", true, []],
    [
      "a blocked path even though the host is allowed",
      "192.0.2.1",
      "DE",
      "https://shop.example/admin/users",
      false,
      ["website"],
    ],
    ["an unlisted site", "192.0.2.1", "DE", "https://copy.example/", false, ["website"]],
    ["a file: page", "192.0.2.1", "DE", "file:///home/x/index.html", false, ["website"]],
    ["everything at once", "203.0.113.1", "RU", "https://copy.example/", false, ["ip", "country", "website"]],
  ])("%s", (_name, address, country, page, show, hiding) => {
    const verdict = decide(compiled, who(address, country, page), NOW);
    expect(verdict.show).toBe(show);
    expect(verdict.reasons.filter((r) => r.hides).map((r) => r.check)).toEqual(hiding);
    expect(verdict.reasons).toHaveLength(9);
    expect(verdict.challenged).toBe(false);
  });

  test.each([
    [
      "a hosting network under the challenge mode",
      { hosting: "challenge", tor: "off" },
      false,
      { as: AMAZON },
      "hosting",
    ],
    ["a Tor exit under the challenge mode", { hosting: "off", tor: "challenge" }, false, { tor: true }, "tor"],
    ["anyone while the account challenges everyone", { hosting: "off", tor: "off" }, true, {}, "challenge"],
  ] as const)("shows but challenges %s", (_name, networks, challengeEveryone, more, check) => {
    const challenging = compilePolicy({ ...policy, networks, protection: { challengeEveryone } }, []);
    const verdict = decide(challenging, who("192.0.2.1", "DE", "https://shop.example/", more), NOW);
    expect(verdict.show).toBe(true);
    expect(verdict.challenged).toBe(true);
    expect(verdict.reasons.filter((r) => r.challenges).map((r) => r.check)).toEqual([check]);
  });

  it("does not challenge a visitor it hides", () => {
    const challenging = compilePolicy({ ...policy, protection: { challengeEveryone: true } }, []);
    const verdict = decide(challenging, who("192.0.2.1", "RU", "https://shop.example/"), NOW);
    expect(verdict).toMatchObject({ show: false, challenged: false });
  });

  test.each([
    ["a banned visitor on a new address", { visitorId: BANNED_VISITOR }, ["visitor"]],
    ["another visitor", { visitorId: "v_someoneelse12345" }, []],
    ["an address of a blocked AS", { as: CLOUDFLARE }, ["as"]],
    ["an address of a hosting network", { as: AMAZON }, ["hosting"]],
    ["an address of a residential network", { as: TELEKOM }, []],
    ["a Tor exit", { tor: true }, ["tor"]],
    [
      "a banned visitor behind Tor on a cloud server",
      { visitorId: BANNED_VISITOR, as: AMAZON, tor: true },
      ["visitor", "hosting", "tor"],
    ],
  ])("hides or shows %s", (_name, more, hiding) => {
    const verdict = decide(compiled, who("192.0.2.1", "DE", "https://shop.example/", more), NOW);
    expect(verdict.reasons.filter((r) => r.hides).map((r) => r.check)).toEqual(hiding);
  });

  it("hides no one by network while the switches are off", () => {
    const off = compilePolicy({ ...policy, networks: { hosting: "off", tor: "off" } }, []);
    expect(decide(off, who("192.0.2.1", "DE", "https://shop.example/", { as: AMAZON, tor: true }), NOW).show).toBe(
      true,
    );
    expect(off.needsAs || off.needsTor).toBe(false);
    expect(compiled.needsAs && compiled.needsTor).toBe(true);
  });

  it("names the rule that decided", () => {
    const verdict = decide(compiled, who("203.0.113.9", "DE", "https://shop.example/admin", { as: TELEKOM }), NOW);
    expect(verdict.reasons).toEqual([
      { check: "ip", hides: true, message: "203.0.113.9 is blocked by the rule 203.0.113.0/24.", rule: "r1" },
      { check: "visitor", hides: false, message: "No visitor id came with the request." },
      { check: "as", hides: false, message: "203.0.113.9 is in AS3320 Deutsche Telekom AG, which no AS rule blocks." },
      {
        check: "hosting",
        hides: false,
        message: "AS3320 Deutsche Telekom AG is not a known hosting, cloud or VPN network.",
      },
      { check: "tor", hides: false, message: "203.0.113.9 is not on the Tor exit list." },
      { check: "challenge", hides: false, message: "Visitors are not all asked for a proof of work." },
      { check: "country", hides: false, message: "Germany (DE) is not on the blocked list." },
      {
        check: "website",
        hides: true,
        message: "https://shop.example/admin matches the blocked pattern shop.example/admin.",
        rule: "shop.example/admin",
      },
      { check: "away", hides: false, message: "Whether an agent is online is not known yet, so the chat shows." },
    ]);
  });

  test.each([
    ["hide", false, true, "No agent is online, and the chat is hidden while no one is."],
    ["hide", true, false, "An agent is online."],
    ["hide", null, false, "Whether an agent is online is not known yet, so the chat shows."],
    ["messages", false, false, "No agent is online: the visitor may leave a message."],
  ] as const)("when away is %s and an agent online is %s, hides: %s", (away, agentsOnline, hides, message) => {
    const policyAway = compilePolicy({ ...policy, window: { away } }, []);
    const verdict = decide(policyAway, who("192.0.2.1", "DE", "https://shop.example/", { agentsOnline }), NOW);
    expect(verdict.show).toBe(!hides);
    expect(verdict.reasons.at(-1)).toEqual({ check: "away", hides, message });
  });

  it("shows everyone under the default policy of a new account", () => {
    const fresh = compilePolicy(DEFAULT_POLICY, []);
    expect(decide(fresh, who("8.8.8.8", null, "http://localhost:3000/"), NOW).show).toBe(true);
  });
});

describe("hiddenBy", () => {
  const countries = ["DE", "FR", "RU", null] as const;
  const hosts = ["shop.example", "help.shop.example", "a.b.shop.example", "copy.example"];
  const paths = ["/", "/admin", "/admin/users", "/administrator", "/cart"];
  const policyArb = fc.record({
    mode: fc.constantFrom("off", "allow", "block"),
    list: fc.subarray(["DE", "FR", "RU"]),
    unknown: fc.constantFrom(undefined, "show", "hide"),
    allowed: fc.subarray(["shop.example", "*.shop.example", "https://copy.example", "shop.example/cart"]),
    blocked: fc.subarray(["shop.example/admin", "*.shop.example", "http://copy.example"]),
    rules: fc.subarray([
      "203.0.113.0/24",
      "203.0.113.9",
      "2001:db8::/64",
      "0.0.0.0/0",
      "AS13335",
      "AS3320",
      BANNED_VISITOR,
    ]),
    hosting: fc.constantFrom("off", "hide", "challenge"),
    tor: fc.constantFrom("off", "hide", "challenge"),
    challengeEveryone: fc.boolean(),
    away: fc.constantFrom("hide", "messages"),
  });
  const visitorArb = fc.record({
    address: fc.constantFrom("203.0.113.9", "203.0.113.200", "::ffff:203.0.113.9", "2001:db8::5", "192.0.2.1"),
    country: fc.constantFrom(...countries),
    scheme: fc.constantFrom("http", "https"),
    host: fc.constantFrom(...hosts),
    path: fc.constantFrom(...paths),
    visitorId: fc.constantFrom(null, BANNED_VISITOR, "v_someoneelse12345"),
    as: fc.constantFrom(null, AMAZON, TELEKOM, CLOUDFLARE),
    tor: fc.boolean(),
    agentsOnline: fc.constantFrom(true, false, null),
  });

  it("always names the first check decide() says hides, or none when it shows; and challenges whom decide() does", () => {
    fc.assert(
      fc.property(policyArb, visitorArb, (p, v) => {
        const document: PolicyDocument = {
          countries:
            p.unknown === undefined
              ? { mode: p.mode, list: p.list }
              : { mode: p.mode, list: p.list, unknown: p.unknown },
          websites: { allowed: p.allowed, blocked: p.blocked },
          files: DEFAULT_POLICY.files,
          networks: { hosting: p.hosting, tor: p.tor },
          protection: { challengeEveryone: p.challengeEveryone },
          window: { away: p.away },
        };
        const random = compilePolicy(
          document,
          p.rules.map((text, i) => rule(`r${i}`, text)),
        );
        const href = `${v.scheme}://${v.host}${v.path}`;
        const page = parsePage(href);
        if (!page.ok) throw new Error(page.message);
        const visitor = {
          ip: ip(v.address),
          country: v.country,
          visitorId: v.visitorId,
          as: v.as,
          tor: v.tor,
          agentsOnline: v.agentsOnline,
        };
        const verdict = decide(random, { ...visitor, page: href }, NOW);
        const hidden = hiddenBy(random, { ...visitor, page: page.page }, NOW);
        expect(hidden).toBe(verdict.reasons.find((reason) => reason.hides)?.check ?? null);
        expect(hidden === null && challengedBy(random, visitor) !== null).toBe(verdict.challenged);
      }),
      { numRuns: 2000 },
    );
  });

  it("hides on each rule alone", () => {
    const page = parsePage("https://shop.example/cart");
    if (!page.ok) throw new Error(page.message);
    const at = (address: string, country: string | null, more: Partial<Visitor> = {}) => ({
      ...who(address, country, "", more),
      page: page.page,
    });
    expect(hiddenBy(compiled, at("192.0.2.1", "DE"), NOW)).toBeNull();
    expect(hiddenBy(compiled, at("203.0.113.9", "DE"), NOW)).toBe("ip");
    expect(hiddenBy(compiled, at("192.0.2.1", "DE", { visitorId: BANNED_VISITOR }), NOW)).toBe("visitor");
    expect(hiddenBy(compiled, at("192.0.2.1", "DE", { as: CLOUDFLARE }), NOW)).toBe("as");
    expect(hiddenBy(compiled, at("192.0.2.1", "DE", { as: AMAZON }), NOW)).toBe("hosting");
    expect(hiddenBy(compiled, at("192.0.2.1", "DE", { tor: true }), NOW)).toBe("tor");
    expect(hiddenBy(compiled, at("192.0.2.1", "RU"), NOW)).toBe("country");
    const admin = parsePage("https://shop.example/admin");
    if (!admin.ok) throw new Error(admin.message);
    expect(hiddenBy(compiled, { ...who("192.0.2.1", "DE", ""), page: admin.page }, NOW)).toBe("website");
  });
});

describe("the policy document schema", () => {
  it("accepts the design's example document", () => {
    const doc = {
      countries: { mode: "block", list: ["DE", "FR"], unknown: "show" },
      websites: { allowed: ["example.com", "*.example.com"], blocked: ["example.com/copy"] },
      files: { categories: ["image", "audio", "video", "text"], maxBytes: 10485760 },
    };
    expect(policyDocumentSchema.safeParse(doc).success).toBe(true);
  });

  test.each([
    ["an unknown field", { ...DEFAULT_POLICY, extra: 1 }, ""],
    ["an unknown country field", { ...DEFAULT_POLICY, countries: { mode: "off", list: [], other: true } }, "countries"],
    ["a bad mode", { ...DEFAULT_POLICY, countries: { mode: "deny", list: [] } }, "countries.mode"],
    [
      "a network switch in a made-up mode",
      { ...DEFAULT_POLICY, networks: { hosting: "ask", tor: "off" } },
      "networks.hosting",
    ],
    ["a ban of no minutes", { ...DEFAULT_POLICY, protection: { banMinutes: 0 } }, "protection.banMinutes"],
    ["chats per hour not whole", { ...DEFAULT_POLICY, protection: { chatsPerHour: 2.5 } }, "protection.chatsPerHour"],
    ["an unknown protection field", { ...DEFAULT_POLICY, protection: { captcha: true } }, "protection"],
    ["a network switch missing", { ...DEFAULT_POLICY, networks: { hosting: "hide" } }, "networks.tor"],
    ["a lower-case country", { ...DEFAULT_POLICY, countries: { mode: "block", list: ["de"] } }, "countries.list.0"],
    ["a made-up country", { ...DEFAULT_POLICY, countries: { mode: "block", list: ["ZZ"] } }, "countries.list.0"],
    ["a country twice", { ...DEFAULT_POLICY, countries: { mode: "block", list: ["DE", "DE"] } }, "countries.list"],
    [
      "a bad pattern",
      { ...DEFAULT_POLICY, websites: { allowed: ["ex*ample.com"], blocked: [] } },
      "websites.allowed.0",
    ],
    [
      "an unknown category",
      { ...DEFAULT_POLICY, files: { categories: ["pictures"], maxBytes: 10 } },
      "files.categories.0",
    ],
    ["a size of zero", { ...DEFAULT_POLICY, files: { categories: [], maxBytes: 0 } }, "files.maxBytes"],
    ["a fractional size", { ...DEFAULT_POLICY, files: { categories: [], maxBytes: 1.5 } }, "files.maxBytes"],
    [
      "a size over 100 MiB",
      { ...DEFAULT_POLICY, files: { categories: [], maxBytes: 200 * 1024 * 1024 } },
      "files.maxBytes",
    ],
  ])("rejects %s", (_name, doc, path) => {
    const result = policyDocumentSchema.safeParse(doc);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toContain(path);
  });
});
