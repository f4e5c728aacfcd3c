// The outbox on both engines (one conformance suite, run by each test project): an event queued twice
// is kept once; a delivery is claimed by one caller however many claim at once; a sequence goes in
// order, one at a time; a failure waits out its back-off, and is given up after a day.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backoffMs, createOutbox, GIVE_UP_AFTER_MS, type Sender } from "../../../server/outbox/worker";
import { OutboxStore } from "../../../server/store/outbox";
import { chatRequest, startHarness, type Harness } from "../harness";

let h: Harness;
let store: OutboxStore;
const LEASE_MS = 60_000;

beforeAll(async () => {
  h = await startHarness();
  // The server's own sender would claim these rows too: the tests claim and send by hand.
  await h.server.deps.outbox.stop();
  store = new OutboxStore(h.server.deps.db);
});
afterAll(() => h.stop());
beforeEach(async () => {
  await h.server.deps.db.deleteFrom("outbox").execute();
});

const queue = (dedupeKey: string, sequenceKey: string | null = null, now = 0) =>
  store.enqueue({ accountId: "acme", channel: "webhook", dedupeKey, sequenceKey, payload: { dedupeKey } }, now);

describe("the outbox store", () => {
  it("keeps an event queued twice once", async () => {
    expect(await queue("chat.started:conv_1")).toBe(true);
    expect(await queue("chat.started:conv_1")).toBe(false);
    expect(await h.server.deps.db.selectFrom("outbox").select("id").execute()).toHaveLength(1);
  });

  it("queues nothing about a chat that is gone, nor about one an erasure under way removes", async () => {
    const about = (chat: { id: string }, key: string) =>
      store.enqueue(
        {
          accountId: "acme",
          channel: "mail",
          dedupeKey: key,
          payload: { conversationId: chat.id },
          conversationId: chat.id,
        },
        0,
      );
    const chat = await chatRequest(h, { visitorIp: "198.51.100.201" });
    expect(await about(chat, "before")).toBe(true);
    const { visitorData } = h.server.deps;
    // At once: whichever goes first, the erasure leaves no delivery about the chat behind.
    const [erased] = await Promise.all([
      visitorData.erase("acme", chat.visitorId, "user_test", 0),
      about(chat, "during"),
    ]);
    expect(erased.chats).toBe(1);
    expect(await h.server.deps.db.selectFrom("outbox").select("dedupe_key").execute()).toEqual([]);
    expect(await about(chat, "after")).toBe(false);
  });

  it("lets one caller claim a delivery, however many claim at once, until its lease ends", async () => {
    for (let i = 0; i < 10; i++) await queue(`event:${i}`);
    const claims = await Promise.all(Array.from({ length: 8 }, () => store.claim("webhook", 1_000, LEASE_MS, 10)));
    const ids = claims.flat().map((delivery) => delivery.id);
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
    expect(await store.claim("webhook", 1_000 + LEASE_MS - 1, LEASE_MS, 10)).toEqual([]);
    // The claimer died: once the lease is over, another may send them.
    expect(await store.claim("webhook", 1_000 + LEASE_MS, LEASE_MS, 10)).toHaveLength(10);
  });

  it("sends a sequence in order, one at a time, and other sequences beside it", async () => {
    for (const key of ["a1", "a2", "a3"]) await queue(key, "endpoint:conv_a");
    await queue("b1", "endpoint:conv_b");
    const keys = async (now: number) =>
      (await store.claim("webhook", now, 10, 10)).map((delivery) => delivery.dedupeKey).sort();
    expect(await keys(0)).toEqual(["a1", "b1"]);
    const [a1] = await store.claim("webhook", 10, 10, 10);
    expect(a1?.dedupeKey).toBe("a1");
    await store.sent(a1!, 20);
    // b1 is still leased elsewhere (its lease ran out at 10 and was taken again); a2 comes next.
    expect(await keys(20)).toEqual(["a2", "b1"]);
  });

  it("holds a later delivery of a sequence while an earlier one waits out its back-off", async () => {
    await queue("first", "seq");
    await queue("second", "seq");
    const [first] = await store.claim("webhook", 0, LEASE_MS, 10);
    await store.failed(first!, "HTTP 500", 0, 30_000);
    expect(await store.claim("webhook", 1_000, LEASE_MS, 10)).toEqual([]);
    expect((await store.claim("webhook", 30_000, LEASE_MS, 10)).map((delivery) => delivery.dedupeKey)).toEqual([
      "first",
    ]);
  });

  it("has one delivery in flight to a target at a time, whoever claims, and the next once it is done", async () => {
    for (let chat = 0; chat < 5; chat++)
      await store.enqueue(
        {
          accountId: "acme",
          channel: "webhook",
          dedupeKey: `event:${chat}`,
          sequenceKey: `whk_1:conv_${chat}`,
          targetKey: "whk_1",
          payload: {},
        },
        0,
      );
    const claims = await Promise.all(Array.from({ length: 4 }, () => store.claim("webhook", 0, LEASE_MS, 10)));
    const [first, ...others] = claims.flat();
    expect(others).toEqual([]);
    expect(await store.claim("webhook", 1, LEASE_MS, 10)).toEqual([]);
    await store.sent(first!, 2);
    expect(await store.claim("webhook", 3, LEASE_MS, 10)).toHaveLength(1);
  });

  it("lets only the claim that holds a delivery record its outcome: one whose lease was taken over changes nothing", async () => {
    await queue("slow");
    const [stale] = await store.claim("webhook", 0, 10, 10);
    const [current] = await store.claim("webhook", 10, LEASE_MS, 10);
    await store.sent(stale!, 11);
    const [row] = await h.server.deps.db.selectFrom("outbox").selectAll().execute();
    expect(row!.done_at).toBeNull();
    await store.sent(current!, 12);
    const [done] = await h.server.deps.db.selectFrom("outbox").selectAll().execute();
    expect(Number(done!.done_at)).toBe(12);
  });

  it("counts a sequence as waiting until its delivery is being sent, and again once a claim has run out", async () => {
    await store.enqueue(
      { accountId: "acme", channel: "mail", dedupeKey: "answer:1", sequenceKey: "answer:conv_1", payload: {} },
      0,
    );
    expect(await store.waiting("answer:conv_1", 0)).toBe(true);
    const [sending] = await store.claim("mail", 0, LEASE_MS, 10);
    // Its sender may have read the chat already: an answer written now needs a mail of its own.
    expect(await store.waiting("answer:conv_1", 1)).toBe(false);
    expect(await store.waiting("answer:conv_1", LEASE_MS)).toBe(true);
    await store.sent(sending!, LEASE_MS);
    expect(await store.waiting("answer:conv_1", LEASE_MS)).toBe(false);
  });

  it("does not claim a delivery before its time", async () => {
    await store.enqueue({ accountId: "acme", channel: "mail", dedupeKey: "later", payload: {}, notBefore: 5_000 }, 0);
    expect(await store.claim("mail", 4_999, LEASE_MS, 10)).toEqual([]);
    expect(await store.claim("mail", 5_000, LEASE_MS, 10)).toHaveLength(1);
  });
});

describe("the outbox worker", () => {
  it("retries a failing delivery with a growing back-off, then gives it up after a day", async () => {
    let now = 0;
    let tries = 0;
    const failing: Sender = async () => {
      tries += 1;
      return { ok: false, error: "HTTP 503" };
    };
    const outbox = createOutbox(store, { webhook: failing }, { now: () => now, log: h.server.deps.log });
    await outbox.enqueue({ accountId: "acme", channel: "webhook", dedupeKey: "doomed", payload: {} });
    const waits: number[] = [];
    for (let attempt = 1; attempt < 100; attempt++) {
      await outbox.flush();
      const [row] = await h.server.deps.db.selectFrom("outbox").selectAll().execute();
      if (row!.done_at !== null) break;
      waits.push(Number(row!.next_at) - now);
      now = Number(row!.next_at);
    }
    expect(waits.slice(0, 4)).toEqual([backoffMs(1), backoffMs(2), backoffMs(3), backoffMs(4)]);
    expect(Math.max(...waits)).toBe(60 * 60 * 1000);
    const [row] = await h.server.deps.db.selectFrom("outbox").selectAll().execute();
    expect(row).toMatchObject({ attempts: tries, last_error: "HTTP 503" });
    expect(now).toBeLessThanOrEqual(GIVE_UP_AFTER_MS);
    expect(tries).toBeGreaterThan(20);
  });

  it("tries a delivery queued a day ahead for a day from when it is due, not from when it was queued", async () => {
    let now = 0;
    const outbox = createOutbox(
      store,
      { mail: async () => ({ ok: false, error: "451 busy" }) },
      {
        now: () => now,
        log: h.server.deps.log,
      },
    );
    const dueAt = GIVE_UP_AFTER_MS - 1_000;
    await outbox.enqueue({ accountId: "acme", channel: "mail", dedupeKey: "digest", payload: {}, notBefore: dueAt });
    now = dueAt;
    await outbox.flush();
    const [row] = await h.server.deps.db.selectFrom("outbox").selectAll().execute();
    expect(row).toMatchObject({ attempts: 1, done_at: null });
  });

  it("counts a sender that throws as a failure, and sends nothing twice once it succeeds", async () => {
    let calls = 0;
    const flaky: Sender = async () => {
      calls += 1;
      if (calls === 1) throw new Error("socket hang up");
      return { ok: true };
    };
    let now = 0;
    const outbox = createOutbox(store, { webhook: flaky }, { now: () => now, log: h.server.deps.log });
    await outbox.enqueue({ accountId: "acme", channel: "webhook", dedupeKey: "flaky", payload: {} });
    await outbox.flush();
    now = backoffMs(1);
    await outbox.flush();
    now += 10 * 60 * 1000;
    await outbox.flush();
    expect(calls).toBe(2);
    const [row] = await h.server.deps.db.selectFrom("outbox").selectAll().execute();
    expect(row).toMatchObject({ attempts: 2, last_error: null });
  });
});
