// The compiled-policy cache: compile once, drop on change, renew when old, remember no unknown account.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inProcessChanges } from "../../server/changes";
import { createPolicyCache } from "../../server/policy-cache";
import { startHarness, type Harness } from "./harness";

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

describe("the policy cache", () => {
  it("hands out the same compiled policy until the account's policy changes", async () => {
    const { policyCache, changes } = cacheOf();
    const first = await policyCache.get("acme");
    expect(await policyCache.get("acme")).toBe(first);
    changes.publish({ type: "policy", accountId: "acme" });
    expect(await policyCache.get("acme")).not.toBe(first);
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

  it("does not keep a policy loaded before a change that came during the load", async () => {
    const { policyCache, changes } = cacheOf();
    changes.publish({ type: "policy", accountId: "acme" });
    const stale = policyCache.get("acme");
    changes.publish({ type: "policy", accountId: "acme" });
    await stale;
    expect(policyCache.peek("acme")).toBeUndefined();
    const fresh = await policyCache.get("acme");
    expect(fresh).not.toBe(await stale);
    expect(policyCache.peek("acme")).toBe(fresh);
  });

  it("reads a policy again once it is older than its maximum age, serving the old one meanwhile", async () => {
    const { policyCache, clock } = cacheOf(30_000);
    const first = await policyCache.get("acme");
    clock.now = 29_000;
    expect(policyCache.peek("acme")).toBe(first);
    clock.now = 31_000;
    // The old one still serves while the new one is read: the verdict never waits for it.
    expect(policyCache.peek("acme")).toBe(first);
    await expect.poll(() => policyCache.peek("acme")).not.toBe(first);
  });

  it("drops every policy when changes may have been missed", async () => {
    const { policyCache, changes } = cacheOf();
    await policyCache.get("acme");
    await policyCache.get("rival");
    changes.publish({ type: "resync" });
    expect(policyCache.peek("acme")).toBeUndefined();
    expect(policyCache.peek("rival")).toBeUndefined();
  });

  it("peeks at nothing for an unknown account", async () => {
    const { policyCache } = cacheOf();
    expect(await policyCache.get("nobody-here")).toBeNull();
    expect(policyCache.peek("nobody-here")).toBeUndefined();
  });
});
