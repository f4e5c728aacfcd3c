// Retention: closed chats past the account's clock go with everything of theirs, and addresses past
// theirs are kept as networks in chats, stored events and the audit; rules keep what they block. One
// sweep at a time across instances, in batches, counted in the metrics. Both engines.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sweepRetention } from "../../server/retention";
import { readFixture } from "../fixtures/read";
import { editPolicy, startHarness, visitorSession, type ConsoleClient, type Harness } from "./harness";
import { onSharedServices } from "./shared-services";
import { SseReader } from "./sse";

const DAY = 24 * 3600 * 1000;
let h: Harness;
let owner: ConsoleClient;
beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback" });
  owner = await h.login("acme", "owner@acme.test");
});
afterEach(async () => {
  h.clock.reset();
  await editPolicy(owner, (doc) => {
    delete doc.retention;
  });
});
afterAll(() => h.stop());

/** A visitor from `ip` who wrote and sent a PNG; their chat closed by an agent when `closed`. */
async function chatFrom(ip: string, { closed, text = "Hi" }: { closed: boolean; text?: string }) {
  const session = await visitorSession(h, { forwardedFor: ip });
  await session.fetch(`/conversations/${session.conversationId}/messages`, { method: "POST", json: { text } });
  const file = await session.fetch(`/conversations/${session.conversationId}/files`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream", "x-file-name": "id.png" },
    body: readFixture("fixture.png"),
  });
  const fileId = ((await file.json()) as { file: { id: string } }).file.id;
  if (closed)
    expect(
      (await owner.fetch(`/api/v1/console/conversations/${session.conversationId}/close`, { method: "POST" })).status,
    ).toBe(200);
  return { id: session.conversationId, fileId };
}

/** The owner signed in at the server's time now: a session lasts 30 days, and tests skip past that. */
const ownerNow = () => h.login("acme", "owner@acme.test");

const removedMetric = async (what: string) =>
  (await h.server.deps.metrics.retained.get()).values.find((value) => value.labels.what === what)?.value ?? 0;

describe("deleting closed chats", () => {
  it("removes closed chats past the clock with their messages, files and bytes, tells consoles, audits and counts it", async () => {
    await editPolicy(owner, (doc) => {
      doc.retention = { deleteClosedChatsAfterDays: 2 };
    });
    const old = await chatFrom("198.51.100.10", { closed: true });
    const open = await chatFrom("198.51.100.11", { closed: false });
    const chatsBefore = await removedMetric("chats");
    const feed = new SseReader(await owner.fetch("/api/v1/console/events"));
    await expect.poll(() => feed.response.status).toBe(200);

    // One day on: not yet.
    h.clock.skip(1 * DAY);
    expect(await sweepRetention(h.server.deps)).toMatchObject({ chats: 0 });
    expect((await owner.fetch(`/api/v1/console/conversations/${old.id}`)).status).toBe(200);

    h.clock.skip(2 * DAY);
    expect(await sweepRetention(h.server.deps)).toMatchObject({ chats: 1, messages: 2, files: 1 });
    expect((await owner.fetch(`/api/v1/console/conversations/${old.id}`)).status).toBe(404);
    expect(await h.server.deps.files.read(old.fileId)).toBeNull();
    // An open chat is never past the clock, however old: it has not closed.
    expect((await owner.fetch(`/api/v1/console/conversations/${open.id}`)).status).toBe(200);
    const kept = await h.server.deps.files.read(open.fileId);
    expect(kept).not.toBeNull();
    kept!.stream.destroy();
    await expect
      .poll(() => feed.events.find((e) => e.event === "erased")?.data, { timeout: 5000 })
      .toEqual({ type: "erased", data: { conversationIds: [old.id] } });
    await feed.close();
    const { entries } = await (await owner.fetch("/api/v1/console/audit")).json();
    expect(entries[0]).toMatchObject({ action: "retention.delete", detail: { chats: 1, messages: 2, files: 1 } });
    expect(await removedMetric("chats")).toBe(chatsBefore + 1);
    // Nothing left to do: a second sweep removes nothing and audits nothing.
    expect(await sweepRetention(h.server.deps)).toMatchObject({ chats: 0 });
  });

  it("keeps closed chats by default, however old", async () => {
    const old = await chatFrom("198.51.100.12", { closed: true });
    h.clock.skip(400 * DAY);
    await sweepRetention(h.server.deps);
    expect(await h.server.deps.conversations.get("acme", old.id)).not.toBeNull();
  });

  it("goes in batches: more chats than one batch are all removed in one run", async () => {
    await editPolicy(owner, (doc) => {
      doc.retention = { deleteClosedChatsAfterDays: 1 };
    });
    const { db } = h.server.deps;
    const rows = Array.from({ length: 450 }, (_, n) => ({
      id: `conv_batch${String(n).padStart(12, "0")}`,
      account_id: "acme",
      visitor_id: `v_batch${String(n).padStart(9, "0")}`,
      status: "closed" as const,
      visitor_ip: "203.0.113.9",
      visitor_country: null,
      visitor_addresses: "[]",
      page: "https://shop.example/",
      agent_user_id: null,
      created_at: h.clock.now(),
      accepted_at: null,
      closed_at: h.clock.now(),
      closed_reason: "agent",
      offline: 0,
      agent_name: null,
      secret_hash: null,
      visitor_name: null,
      visitor_email: null,
      prechat_answers: "[]",
      anonymized: 0,
    }));
    await db.insertInto("conversations").values(rows).execute();
    h.clock.skip(2 * DAY);
    const run = await sweepRetention(h.server.deps);
    expect(run?.chats).toBeGreaterThanOrEqual(450);
    const left = await db.selectFrom("conversations").select("id").where("id", "like", "conv_batch%").execute();
    expect(left).toEqual([]);
  });
});

describe("anonymising addresses", () => {
  it("keeps chats', events' and the audit's addresses as their networks after 30 days; rules keep theirs", async () => {
    const chat = await chatFrom("198.51.100.77", { closed: true, text: "My router says 10.1.2.3" });
    const ipv6 = await chatFrom("2001:db8:1234:5678::9", { closed: true });
    const stillOpen = await chatFrom("198.51.100.79", { closed: false });
    const rule = await owner.fetch("/api/v1/console/rules", {
      method: "POST",
      json: { text: "192.0.2.44", comment: "abuse" },
    });
    expect(rule.status).toBe(201);
    h.clock.skip(29 * DAY);
    await sweepRetention(h.server.deps);
    let reader = owner;
    const shown = async (id: string) =>
      (await (await reader.fetch(`/api/v1/console/conversations/${id}`)).json()).conversation;
    expect((await shown(chat.id)).visitorIp).toBe("198.51.100.77");

    h.clock.skip(2 * DAY);
    const run = await sweepRetention(h.server.deps);
    expect(run?.addresses).toBeGreaterThan(0);
    reader = await ownerNow();
    expect(await shown(chat.id)).toMatchObject({
      visitorIp: "198.51.100.0/24",
      visitorAddresses: [expect.objectContaining({ ip: "198.51.100.0/24" })],
    });
    expect((await shown(ipv6.id)).visitorIp).toBe("2001:db8:1234::/48");
    // An open chat keeps its full address, which a block acts on, until a sweep after it closes.
    expect((await shown(stillOpen.id)).visitorIp).toBe("198.51.100.79");
    const stored = JSON.stringify(await h.server.deps.conversations.eventsAfter("acme", 0, chat.id));
    expect(stored).toContain("198.51.100.0/24");
    expect(stored).not.toContain("198.51.100.77");
    // What the visitor wrote is theirs, as the message keeps it: its event is not rewritten.
    expect(stored).toContain("My router says 10.1.2.3");
    const { entries } = await (await reader.fetch("/api/v1/console/audit?limit=100")).json();
    const audit = JSON.stringify(entries);
    expect(audit).toContain("192.0.2.0/24");
    expect(audit).not.toContain("192.0.2.44");
    // The rule blocks what it blocked.
    const { rules } = await (await reader.fetch("/api/v1/console/rules")).json();
    expect(rules.map((r: { rule: string }) => r.rule)).toContain("192.0.2.44");
    // A chat from now keeps its full address until its own clock runs out.
    const fresh = await chatFrom("198.51.100.78", { closed: false });
    await sweepRetention(h.server.deps);
    expect((await shown(fresh.id)).visitorIp).toBe("198.51.100.78");
    // Blocking an old chat's address says why it cannot, and what can.
    const block = await reader.fetch(`/api/v1/console/conversations/${chat.id}/block`, {
      method: "POST",
      json: { scope: "address", comment: "late" },
    });
    expect(block.status).toBe(409);
    expect((await block.json()).error.message).toMatch(/kept only as its network 198\.51\.100\.0\/24/);
  });

  it("is refused a clock that is not a whole number of days, and changes nothing", async () => {
    for (const days of [0, 1.5, -3, "30", 3651]) {
      const current = await owner.fetch("/api/v1/console/policy");
      const doc = await current.json();
      const refused = await owner.fetch("/api/v1/console/policy", {
        method: "PUT",
        json: { ...doc, retention: { anonymizeAddressesAfterDays: days } },
        headers: { "if-match": current.headers.get("etag") ?? "" },
      });
      expect(refused.status, String(days)).toBe(400);
      expect(JSON.stringify(await refused.json())).toMatch(/Keep visitor addresses in full for \(days\)/);
    }
  });
});

describe("one sweep at a time", () => {
  it("leaves the work to the sweep already running on another instance (PostgreSQL's advisory lock)", async () => {
    const { retention } = h.server.deps;
    let inner: unknown = "not run";
    const outer = await retention.alone(async () => {
      inner = await sweepRetention(h.server.deps);
      return "outer";
    });
    expect(outer).toBe("outer");
    // SQLite's store is one process's: there the inner sweep simply runs.
    if (onSharedServices) expect(inner).toBeNull();
    else expect(inner).toMatchObject({ chats: 0 });
    // Released once done: the next sweep runs.
    expect(await sweepRetention(h.server.deps)).not.toBeNull();
  });
});
