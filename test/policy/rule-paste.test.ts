// Planning a paste of rules: all lines valid or none stored, duplicates and covered networks (or AS numbers) merged.
import { describe, expect, it, test } from "vitest";
import { parseCidr } from "../../policy/cidr";
import { compileIpMatcher, type MatchableRule } from "../../policy/ip-matcher";
import { MAX_RULE_LINES } from "../../policy/limits";
import { planIpRules, planRules, type LineOutcome } from "../../policy/rule-paste";
import { keyedRules, type RuleEntry } from "../../policy/rules";

const none = compileIpMatcher([]);

function stored(id: string, text: string, expiresAt: number | null = null): MatchableRule {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return { id, network: parsed.network, text: parsed.text, expiresAt };
}

function outcomes(paste: string, existing = none, expiresAt: number | null = null): LineOutcome[] {
  const plan = planIpRules(paste, existing, expiresAt);
  if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
  return plan.outcomes;
}

describe("planIpRules", () => {
  it("adds every valid line and shows the network that will be stored", () => {
    const result = outcomes("203.0.113.7/24\n\n  2001:db8::1 \n# a comment line\n198.51.100.1");
    expect(result.map((o) => [o.line, o.status, o.text])).toEqual([
      [1, "added", "203.0.113.0/24"],
      [3, "added", "2001:db8::1"],
      [5, "added", "198.51.100.1"],
    ]);
    expect(result[0]?.status === "added" && result[0].hostBitsCleared).toBe(true);
  });

  it("stores nothing when any line is bad and names each bad line with its reason", () => {
    const plan = planIpRules("10.0.0.1\n256.1.1.1\n1.2.3.4/33\n1.2.3", none, null);
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.errors.map((e) => [e.line, e.input, e.code])).toEqual([
      [2, "256.1.1.1", "ip_octet_range"],
      [3, "1.2.3.4/33", "cidr_prefix_range"],
      [4, "1.2.3", "ip_parts"],
    ]);
    expect(plan.errors[0]?.message).toBe("256 is out of range: each number of an IPv4 address is 0 to 255.");
  });

  it("merges a duplicate line into the first", () => {
    const result = outcomes("10.0.0.1\n10.0.0.1");
    expect(result[1]).toMatchObject({
      status: "merged",
      into: "line 1",
      message: "10.0.0.1 is already blocked; merged with the existing rule.",
    });
  });

  it("merges a network that a wider line covers, whichever comes first", () => {
    const result = outcomes("10.1.2.0/24\n10.0.0.0/8");
    expect(result[0]).toMatchObject({
      line: 1,
      status: "merged",
      into: "line 2",
      message: "10.1.2.0/24 is already covered by 10.0.0.0/8; merged into it.",
    });
    expect(result[1]).toMatchObject({ line: 2, status: "added" });
  });

  it("merges into a stored rule that covers the line", () => {
    const existing = compileIpMatcher([stored("r1", "203.0.113.0/24")]);
    expect(outcomes("203.0.113.9", existing)[0]).toMatchObject({ status: "merged", into: "r1" });
  });

  it("does not merge into a stored rule that expires before the new one would", () => {
    const existing = compileIpMatcher([stored("r1", "203.0.113.0/24", 1000)]);
    expect(outcomes("203.0.113.9", existing, 2000)[0]?.status).toBe("added");
    expect(outcomes("203.0.113.9", existing, null)[0]?.status).toBe("added");
    expect(outcomes("203.0.113.9", existing, 500)[0]?.status).toBe("merged");
  });

  it("keeps IPv4 and IPv6 apart", () => {
    expect(outcomes("0.0.0.0/0\n::/0").map((o) => o.status)).toEqual(["added", "added"]);
  });

  it("rejects an empty paste and one with too many lines", () => {
    const empty = planIpRules(" \n# only a comment\n", none, null);
    expect(!empty.ok && empty.errors[0]?.message).toBe("Enter at least one IP address or network, one per line.");
    const huge = planIpRules("10.0.0.1\n".repeat(MAX_RULE_LINES + 1), none, null);
    expect(!huge.ok && huge.errors[0]?.code).toBe("too_many_lines");
  });

  it("rejects an overlong line without parsing it", () => {
    const plan = planIpRules("1".repeat(500), none, null);
    expect(!plan.ok && plan.errors[0]?.code).toBe("line_too_long");
  });
});

describe("planRules with AS numbers", () => {
  const asRule = (id: string, asn: number, expiresAt: number | null = null): RuleEntry => ({
    id,
    target: { kind: "as", asn },
    text: `AS${asn}`,
    expiresAt,
  });
  const storedAs = (entries: RuleEntry[]) => ({
    ip: none,
    as: keyedRules(entries, (e) => (e.target.kind === "as" ? e.target.asn : null)),
  });

  it("takes AS lines in any case beside addresses, and says which kind each added rule is", () => {
    const plan = planRules("as13335\n203.0.113.7\n198.51.100.0/24\nAS3320", storedAs([]), null);
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    expect(plan.outcomes.map((o) => [o.line, o.status, o.text, o.status === "added" ? o.target.kind : null])).toEqual([
      [1, "added", "AS13335", "as"],
      [2, "added", "203.0.113.7", "address"],
      [3, "added", "198.51.100.0/24", "network"],
      [4, "added", "AS3320", "as"],
    ]);
  });

  it("merges an AS already blocked for at least as long, and an AS pasted twice", () => {
    const plan = planRules("AS13335\nAS3320\nas3320", storedAs([asRule("rule_cf", 13335)]), Date.parse("2027-01-01"));
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    expect(plan.outcomes.map((o) => [o.status, o.text, o.status === "merged" ? o.into : null])).toEqual([
      ["merged", "AS13335", "rule_cf"],
      ["added", "AS3320", null],
      ["merged", "AS3320", "line 2"],
    ]);
  });

  it("adds an AS whose stored rule ends sooner than the new one", () => {
    const plan = planRules("AS13335", storedAs([asRule("rule_cf", 13335, Date.parse("2026-12-01"))]), null);
    expect(plan.ok && plan.outcomes[0]?.status).toBe("added");
  });

  test.each([
    ["AS0", "as_invalid"],
    ["AS4294967295", "as_invalid"],
    ["AS013335", "as_invalid"],
    ["AS 13335", "as_invalid"],
  ])("refuses %s, saying why", (line, code) => {
    const plan = planRules(line, storedAs([]), null);
    expect(plan.ok ? null : plan.errors.map((e) => e.code)).toEqual([code]);
  });

  it("refuses AS lines where only addresses and networks are taken, pointing to the rules page", () => {
    const plan = planIpRules("AS13335", none, null);
    expect(plan.ok ? null : plan.errors[0]?.message).toContain("add it under Rules");
  });
});
