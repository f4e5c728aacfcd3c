// The compiled-policy cache: compile once, apply each change to what is compiled, catch up when old,
// remember no unknown account.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCidr } from "../../../policy/cidr";
import { parseIp } from "../../../policy/ip";
import type { CompiledPolicy } from "../../../policy/verdict";
import { inProcessChanges } from "../../../server/realtime/changes";
import { createPolicyCache } from "../../../server/verdict/policy-cache";
import { startHarness, type Harness } from "../harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

/** A cache over the test server's store, with its own in-process changes and a clock the test moves. */
function cacheOf(maxAgeMs = Number.POSITIVE_INFINITY) {
  const changes = inProcessChanges();
  const clock = { now: 0 };
  const policyCache = createPolicyCache(h.server.deps.policies, h.server.deps.rules, changes, {
    maxAgeMs,
    clock: () => clock.now,
  });
  return { policyCache, changes, clock };
}

/** Stores a rule on `network` for acme, as the console would (audited), without telling any cache. */
async function storeRule(network: string): Promise<string> {
  const parsed = parseCidr(network);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const { rules, now } = h.server.deps;
  const target = { kind: "network" as const, network: parsed.network };
  const author = { kind: "automatic" as const, conversationId: null };
  const stored = await rules.add(
    "acme",
    () => ({ add: [{ target, text: parsed.text }], result: null }),
    {
      comment: "",
      author,
      expiresAt: null,
    },
    now(),
  );
  return stored.rules[0]!.id;
}

/** The id of the rule that hides `address` in `policy`, or null. */
function hiding(policy: CompiledPolicy | null | undefined, address: string): string | null {
  const parsed = parseIp(address);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return policy?.ip.match(parsed.address, 0)?.id ?? null;
}

describe("the policy cache", () => {
  it("hands out the same compiled policy until the account's policy changes", async () => {
    const { policyCache, changes } = cacheOf();
    const { policies, accounts, now } = h.server.deps;
    const first = await policyCache.get("acme");
    expect(await policyCache.get("acme")).toBe(first);
    // Told of a change that changed nothing (a change's echo through Redis): nothing to compile.
    changes.publish({ type: "policy", accountId: "acme" });
    expect(await policyCache.get("acme")).toBe(first);
    const stored = (await policies.getPolicy("acme"))!;
    const user = (await accounts.listUsers("acme"))[0]!;
    await policies.putPolicy("acme", stored.document, stored.version, user.id, now());
    changes.publish({ type: "policy", accountId: "acme" });
    expect(await policyCache.get("acme")).not.toBe(first);
  });

  it("catches a burst of changes up in one read, not one each", async () => {
    const { policies, rules } = h.server.deps;
    let reads = 0;
    const counted = Object.create(rules, {
      changesSince: {
        value: (...args: Parameters<typeof rules.changesSince>) => {
          reads += 1;
          return rules.changesSince(...args);
        },
      },
    }) as typeof rules;
    const changes = inProcessChanges();
    const policyCache = createPolicyCache(policies, counted, changes, { maxAgeMs: Infinity, clock: () => 0 });
    await policyCache.get("acme");
    const id = await storeRule("192.0.2.32/28");
    for (let told = 0; told < 50; told++) changes.publish({ type: "policy", accountId: "acme" });
    expect(hiding(await policyCache.get("acme"), "192.0.2.33")).toBe(id);
    expect(reads).toBe(1);
  });

  it("does not remember an unknown account, so made-up names cannot fill memory", async () => {
    const { policyCache } = cacheOf();
    const { accounts, now } = h.server.deps;
    expect(await policyCache.get("later-shop")).toBeNull();
    await accounts.createAccount("later-shop", "Later", now());
    expect(await policyCache.get("later-shop")).not.toBeNull();
  });

  it("peeks at a loaded policy without a promise, and at nothing once it changes", async () => {
    const { policyCache, changes } = cacheOf();
    changes.publish({ type: "policy", accountId: "acme" });
    expect(policyCache.peek("acme")).toBeUndefined();
    const loaded = await policyCache.get("acme");
    expect(policyCache.peek("acme")).toBe(loaded);
    changes.publish({ type: "policy", accountId: "acme" });
    expect(policyCache.peek("acme")).toBeUndefined();
  });

  it("applies a change told during the load before it hands the policy out", async () => {
    const { policyCache, changes } = cacheOf();
    const loading = policyCache.get("acme");
    const id = await storeRule("192.0.2.128/25");
    changes.publish({ type: "policy", accountId: "acme" });
    expect(policyCache.peek("acme")).toBeUndefined();
    await loading;
    const fresh = await policyCache.get("acme");
    expect(hiding(fresh, "192.0.2.200")).toBe(id);
    expect(policyCache.peek("acme")).toBe(fresh);
  });

  it("applies an added and a removed rule to the rules it compiled, without compiling them again", async () => {
    const { policyCache, changes } = cacheOf();
    const { rules, now } = h.server.deps;
    const first = await policyCache.get("acme");
    const id = await storeRule("198.51.100.64/26");
    changes.publish({ type: "policy", accountId: "acme" });
    const added = await policyCache.get("acme");
    expect(hiding(added, "198.51.100.70")).toBe(id);
    expect(added?.ip).toBe(first?.ip);
    const user = (await h.server.deps.accounts.listUsers("acme"))[0]!;
    await rules.remove("acme", id, user.id, now());
    changes.publish({ type: "policy", accountId: "acme" });
    const removed = await policyCache.get("acme");
    expect(hiding(removed, "198.51.100.70")).toBeNull();
    expect(removed?.ip).toBe(first?.ip);
  });

  it("applies a change of more rules than it reads at once, a page at a time", async () => {
    const { policyCache, changes } = cacheOf();
    const { rules, now } = h.server.deps;
    const before = await policyCache.get("acme");
    const add = Array.from({ length: 2_500 }, (_, i) => {
      const parsed = parseCidr(`198.18.${i >> 8}.${i & 255}`);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return { target: { kind: "address" as const, network: parsed.network }, text: parsed.text };
    });
    const author = { kind: "automatic" as const, conversationId: null };
    const stored = await rules.add(
      "acme",
      () => ({ add, result: null }),
      { comment: "", author, expiresAt: null },
      now(),
    );
    changes.publish({ type: "policy", accountId: "acme" });
    const after = await policyCache.get("acme");
    expect(after?.ip).toBe(before?.ip);
    expect(hiding(after, "198.18.0.0")).toBe(stored.rules[0]!.id);
    expect(hiding(after, "198.18.9.195")).toBe(stored.rules[2_499]!.id);
  });

  it("catches up a change nobody told it of once older than its maximum age, serving the old policy meanwhile", async () => {
    const { policyCache, clock } = cacheOf(30_000);
    const first = await policyCache.get("acme");
    const id = await storeRule("203.0.113.128/25");
    clock.now = 29_000;
    expect(policyCache.peek("acme")).toBe(first);
    clock.now = 31_000;
    // The old one still serves while the change is read: the verdict never waits for it.
    expect(policyCache.peek("acme")).toBe(first);
    expect(hiding(first, "203.0.113.200")).toBeNull();
    await expect.poll(() => hiding(policyCache.peek("acme"), "203.0.113.200")).toBe(id);
  });

  it("catches every policy up when changes may have been missed, answering none from before meanwhile", async () => {
    const { policyCache, changes } = cacheOf();
    await policyCache.get("acme");
    await policyCache.get("rival");
    const id = await storeRule("192.0.2.64/27");
    changes.publish({ type: "resync" });
    expect(policyCache.peek("acme")).toBeUndefined();
    expect(policyCache.peek("rival")).toBeUndefined();
    expect(hiding(await policyCache.get("acme"), "192.0.2.70")).toBe(id);
    expect(await policyCache.get("rival")).not.toBeNull();
  });

  it("peeks at nothing for an unknown account", async () => {
    const { policyCache } = cacheOf();
    expect(await policyCache.get("nobody-here")).toBeNull();
    expect(policyCache.peek("nobody-here")).toBeUndefined();
  });
});
