// What an instance remembers of presence: one read of the store at a time however many page views
// ask, a failed read waiting like a good one, and a write that failed tried again at the next beat.
import { describe, expect, it } from "vitest";
import { inProcessChanges } from "../../../server/realtime/changes";
import { createPresence } from "../../../server/realtime/presence";
import type { PresenceStore } from "../../../server/store/presence";

/** A store whose reads and writes the test settles by hand, counting them. */
function slowStore() {
  const calls = { reads: 0, writes: 0 };
  let settle: (online: boolean | Error) => void = () => {};
  const store = {
    anyoneOnline: () => {
      calls.reads++;
      return new Promise<boolean>((resolve, reject) => {
        settle = (online) => (online instanceof Error ? reject(online) : resolve(online));
      });
    },
    seen: async () => {
      calls.writes++;
      if (calls.writes === 1) throw new Error("store away");
    },
  } as unknown as PresenceStore;
  return { store, calls, settle: (online: boolean | Error) => settle(online) };
}

describe("presence in memory", () => {
  it("reads the store once however many page views ask meanwhile, and again only after 10 s", async () => {
    let now = 0;
    const { store, calls, settle } = slowStore();
    const presence = createPresence(store, inProcessChanges(), () => now);
    for (let i = 0; i < 1000; i++) expect(presence.online("acme")).toBeUndefined();
    expect(calls.reads).toBe(1);
    settle(true);
    await expect.poll(() => presence.online("acme")).toBe(true);
    now += 5_000;
    presence.online("acme");
    expect(calls.reads).toBe(1);
    now += 6_000;
    presence.online("acme");
    expect(calls.reads).toBe(2);
  });

  it("waits 10 s after a failed read too, the chat showing meanwhile", async () => {
    let now = 0;
    const { store, calls, settle } = slowStore();
    const presence = createPresence(store, inProcessChanges(), () => now);
    presence.online("acme");
    settle(new Error("store away"));
    await expect.poll(() => presence.online("acme")).toBe(true);
    for (let i = 0; i < 100; i++) presence.online("acme");
    expect(calls.reads).toBe(1);
    now += 10_001;
    presence.online("acme");
    expect(calls.reads).toBe(2);
  });

  it("tries a failed write of a connected console again at the next beat, not 30 s later", async () => {
    const { store, calls } = slowStore();
    const presence = createPresence(store, inProcessChanges(), () => 0);
    const user = { id: "user_1", account_id: "acme" };
    await expect(presence.connected(user)).rejects.toThrow("store away");
    await presence.connected(user);
    expect(calls.writes).toBe(2);
  });
});
