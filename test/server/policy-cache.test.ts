// The compiled-policy cache: compile once, drop on change, remember no unknown account.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe("the policy cache", () => {
  it("hands out the same compiled policy until the account's policy changes", async () => {
    const { policyCache, changes } = h.server.deps;
    const first = await policyCache.get("acme");
    expect(await policyCache.get("acme")).toBe(first);
    changes.publish({ type: "policy", accountId: "acme" });
    expect(await policyCache.get("acme")).not.toBe(first);
  });

  it("does not remember an unknown account, so made-up names cannot fill memory", async () => {
    const { policyCache, accounts, now } = h.server.deps;
    expect(await policyCache.get("later-shop")).toBeNull();
    await accounts.createAccount("later-shop", "Later", now());
    expect(await policyCache.get("later-shop")).not.toBeNull();
  });

  it("peeks at a loaded policy without a promise, and at nothing once it changes", async () => {
    const { policyCache, changes } = h.server.deps;
    changes.publish({ type: "policy", accountId: "acme" });
    expect(policyCache.peek("acme")).toBeUndefined();
    const loaded = await policyCache.get("acme");
    expect(policyCache.peek("acme")).toBe(loaded);
    changes.publish({ type: "policy", accountId: "acme" });
    expect(policyCache.peek("acme")).toBeUndefined();
  });

  it("does not keep a policy loaded before a change that came during the load", async () => {
    const { policyCache, changes } = h.server.deps;
    changes.publish({ type: "policy", accountId: "acme" });
    const stale = policyCache.get("acme");
    changes.publish({ type: "policy", accountId: "acme" });
    await stale;
    expect(policyCache.peek("acme")).toBeUndefined();
    const fresh = await policyCache.get("acme");
    expect(fresh).not.toBe(await stale);
    expect(policyCache.peek("acme")).toBe(fresh);
  });

  it("peeks at nothing for an unknown account", async () => {
    const { policyCache } = h.server.deps;
    expect(await policyCache.get("nobody-here")).toBeNull();
    expect(policyCache.peek("nobody-here")).toBeUndefined();
  });
});
