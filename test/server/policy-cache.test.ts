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
});
