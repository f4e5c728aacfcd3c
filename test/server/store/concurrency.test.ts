// What SQLite serialises for free, held on PostgreSQL too: run in both test projects, this is one
// conformance suite for both engines. Many requests at once, one outcome.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileRules } from "../../../policy/rules";
import { hashToken, newId, newToken } from "../../../server/ids";
import { startHarness, type Harness } from "../harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const times = <T>(n: number, make: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: n }, (_, i) => make(i)));

describe("the store under concurrent requests", () => {
  it("opens one chat per visitor, however many starts arrive at once", async () => {
    const { conversations, now } = h.server.deps;
    const visitorId = newId("v");
    // One browser starting many times at once: each start would be given the same secret it presents.
    const secretHash = hashToken(newToken());
    const started = await times(12, () =>
      conversations.startOrResume(
        {
          accountId: "acme",
          visitorId,
          visitorIp: "203.0.113.9",
          visitorCountry: null,
          page: "https://shop.example/",
          secretHash,
        },
        secretHash,
        now(),
      ),
    );
    expect(new Set(started.map((s) => s?.conversation.id)).size).toBe(1);
    expect(started.filter((s) => s?.eventId !== null)).toHaveLength(1);
  });

  it("opens one chat for a visitor when many starts without its secret arrive at once, and resumes it for none of the others", async () => {
    const { conversations, now } = h.server.deps;
    const visitorId = newId("v");
    const fields = {
      accountId: "acme",
      visitorId,
      visitorIp: "203.0.113.9",
      visitorCountry: null,
      page: "https://shop.example/",
    };
    const started = await times(12, () =>
      conversations.startOrResume({ ...fields, secretHash: hashToken(newToken()) }, null, now()),
    );
    expect(started.filter((s) => s !== null)).toHaveLength(1);
    expect(started.find((s) => s !== null)?.eventId).not.toBeNull();
  });

  it("lets one of many saves with the same version win, and no other", async () => {
    const { policies, now } = h.server.deps;
    const stored = await policies.getPolicy("rival");
    if (!stored) throw new Error("rival has a policy");
    const user = (await h.server.deps.accounts.listUsers("rival"))[0]!;
    const saved = await times(8, (i) =>
      policies.putPolicy(
        "rival",
        { ...stored.document, files: { ...stored.document.files, maxBytes: 1000 + i } },
        stored.version,
        user.id,
        now(),
      ),
    );
    expect(saved.filter((version) => version !== null)).toEqual([stored.version + 1]);
  });

  it("stores a rule pasted many times at once exactly once", async () => {
    const { rules, now } = h.server.deps;
    const author = { kind: "console" as const, userId: "user_x", email: "owner@acme.test" };
    const network = { version: 4 as const, start: 0xc6336400, prefix: 24 };
    await times(8, () =>
      rules.add(
        "acme",
        (current) => ({
          add: compileRules(current).ip.covering(network, null)
            ? []
            : [{ target: { kind: "network" as const, network }, text: "198.51.100.0/24" }],
          result: null,
        }),
        { comment: "twice", author, expiresAt: null },
        now(),
      ),
    );
    expect((await rules.list("acme", {}, now())).filter((rule) => rule.rule === "198.51.100.0/24")).toHaveLength(1);
  });

  it("lets one agent take a chat request when many try at once", async () => {
    const { conversations, now } = h.server.deps;
    const { conversation } = (await conversations.startOrResume(
      {
        accountId: "acme",
        visitorId: newId("v"),
        visitorIp: "203.0.113.10",
        visitorCountry: null,
        page: "https://shop.example/",
        secretHash: hashToken(newToken()),
      },
      null,
      now(),
    ))!;
    const accepted = await times(6, (i) =>
      conversations.accept("acme", conversation.id, { id: `user_${i}`, displayName: null }, now()),
    );
    expect(accepted.filter((a) => a !== null)).toHaveLength(1);
  });
});
