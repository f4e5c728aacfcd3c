// The addresses automatic protection challenges: the store is asked only while an account has a
// challenge running, and another instance's challenge is learnt from its notice or with age.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { challengedAddresses } from "../../../server/protection/challenged-addresses";
import { inProcessChanges } from "../../../server/realtime/changes";
import { startHarness, type Harness } from "../harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const HOUR_MS = 3_600_000;

/** One instance's view over the test server's store, with its own changes and a clock the test moves. */
function instance(maxAgeMs = Number.POSITIVE_INFINITY) {
  const changes = inProcessChanges();
  const clock = { now: 0 };
  const view = challengedAddresses(h.server.deps.protection, changes, { maxAgeMs, clock: () => clock.now });
  return { view, changes, clock };
}

describe("challenged addresses", () => {
  it("answer without a promise once the account is known to have no challenge running", async () => {
    const { view } = instance();
    const now = Date.now();
    expect(await view.challenged("acme", "192.0.2.10", now)).toBe(false);
    expect(view.challenged("acme", "192.0.2.10", now)).toBe(false);
  });

  it("see their own instance's challenge at once, for that address only, until it ends", async () => {
    const { view } = instance();
    const now = Date.now();
    expect(await view.challenged("acme", "192.0.2.20", now)).toBe(false);
    await view.challenge("acme", "192.0.2.20", now + HOUR_MS);
    expect(await view.challenged("acme", "192.0.2.20", now)).toBe(true);
    expect(await view.challenged("acme", "192.0.2.21", now)).toBe(false);
    expect(await view.challenged("acme", "192.0.2.20", now + HOUR_MS)).toBe(false);
  });

  it("learn another instance's challenge from its notice, or once what they know is older than maxAgeMs", async () => {
    const here = instance(30_000);
    const there = instance();
    // Past the challenges the tests above made for acme.
    const now = Date.now() + 2 * HOUR_MS;
    expect(await here.view.challenged("acme", "192.0.2.30", now)).toBe(false);
    await there.view.challenge("acme", "192.0.2.30", now + HOUR_MS);
    // Nothing told: still the answer it had.
    expect(here.view.challenged("acme", "192.0.2.30", now)).toBe(false);
    here.clock.now = 30_001;
    expect(await here.view.challenged("acme", "192.0.2.30", now)).toBe(true);

    const told = instance();
    expect(await told.view.challenged("acme", "192.0.2.31", now)).toBe(false);
    await there.view.challenge("acme", "192.0.2.31", now + HOUR_MS);
    told.changes.publish({ type: "event", accountId: "acme", conversationId: null, eventId: 1 });
    expect(await told.view.challenged("acme", "192.0.2.31", now)).toBe(true);
  });

  it("do not keep what a read in flight found when a notice arrives during it", async () => {
    const { view, changes } = instance();
    const now = Date.now() + 4 * HOUR_MS;
    const reading = view.challenged("acme", "192.0.2.40", now);
    changes.publish({ type: "resync" });
    await reading;
    // The resync came after the read began: the next question reads again rather than trusting it.
    const again = view.challenged("acme", "192.0.2.40", now);
    expect(again).toBeInstanceOf(Promise);
    expect(await again).toBe(false);
  });
});
