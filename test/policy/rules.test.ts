// Compiled rules changed rule by rule: what is added and removed after the compile matches as a
// fresh compile of what remains would, for every kind.
import { describe, expect, test } from "vitest";
import { parseCidr } from "../../policy/cidr";
import { parseIp } from "../../policy/ip";
import { compileRules, type CompiledRules, type RuleEntry } from "../../policy/rules";

const NOW = Date.parse("2026-11-24T12:00:00Z");
const VISITOR = "v_AAAAAAAAAAAAAAAA";

function entry(id: string, text: string, expiresAt: number | null = null): RuleEntry {
  if (text.startsWith("AS")) return { id, target: { kind: "as", asn: Number(text.slice(2)) }, text, expiresAt };
  if (text.startsWith("v_")) return { id, target: { kind: "visitor", visitorId: text }, text, expiresAt };
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return { id, target: { kind: "network", network: parsed.network }, text: parsed.text, expiresAt };
}

/** The id of the live rule that hides what `text` names, or null. */
function hiding(rules: CompiledRules, text: string): string | null {
  if (text.startsWith("AS")) return rules.as.match(Number(text.slice(2)), NOW)?.id ?? null;
  if (text.startsWith("v_")) return rules.visitors.match(text, NOW)?.id ?? null;
  const parsed = parseIp(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return rules.ip.match(parsed.address, NOW)?.id ?? null;
}

describe("compiled rules changed rule by rule", () => {
  test.each([
    ["an address", "192.0.2.7", "192.0.2.7"],
    ["a network", "198.51.100.0/24", "198.51.100.99"],
    ["an IPv6 network", "2001:db8:7::/64", "2001:db8:7::1"],
    ["an AS", "AS64500", "AS64500"],
    ["a visitor", VISITOR, VISITOR],
  ])("hide %s once it is added and stop once it is removed", (_, rule, probe) => {
    const rules = compileRules([entry("kept", "203.0.113.0/24")]);
    expect(hiding(rules, probe)).toBeNull();
    rules.add([entry("added", rule)]);
    expect(hiding(rules, probe)).toBe("added");
    rules.remove(["added"]);
    expect(hiding(rules, probe)).toBeNull();
    expect(hiding(rules, "203.0.113.1")).toBe("kept");
  });

  test.each([
    ["an address", "192.0.2.7", "192.0.2.7"],
    ["an AS", "AS64500", "AS64500"],
    ["a visitor", VISITOR, VISITOR],
  ])("stop hiding %s compiled at first once it is removed, and never take it back", (_, rule, probe) => {
    const rules = compileRules([entry("first", rule)]);
    rules.remove(["first"]);
    rules.add([entry("first", rule)]);
    expect(hiding(rules, probe)).toBeNull();
  });

  test("an AS rule added after the compile counts toward the keys a verdict looks the AS up for", () => {
    const rules = compileRules([]);
    expect(rules.as.size).toBe(0);
    rules.add([entry("as", "AS64500"), entry("as", "AS64500")]);
    expect(rules.as.size).toBe(1);
    expect(rules.as.covering(64500, NOW + 1)?.id).toBe("as");
  });
});
