// A visitor's data for owners: erased whole (chats, messages, files and their bytes, stored events,
// queued mail), audited, leaving every open console; exported as one ZIP of visitor.json and the
// files. Owners only, their own account only, and a visitor id that is one.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFixture } from "../../fixtures/read";
import { startHarness, visitorSession, type ConsoleClient, type Harness, type VisitorSession } from "../harness";
import { onSharedServices } from "../shared-services";
import { SseReader } from "../sse";
import { unzip } from "../unzip";

const PNG = readFixture("fixture.png");
let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;
let rival: ConsoleClient;
beforeAll(async () => {
  h = await startHarness();
  [owner, agent, rival] = await Promise.all([
    h.login("acme", "owner@acme.test"),
    h.login("acme", "agent@acme.test"),
    h.login("rival", "owner@rival.test"),
  ]);
});
afterAll(() => h.stop());

/** A visitor who wrote `words` and sent the PNG fixture, in a chat of their own; answers the session and the file id. */
async function visitorWithFile(words: string, visitor?: string): Promise<{ session: VisitorSession; fileId: string }> {
  const session = await visitorSession(h, visitor === undefined ? {} : { visitor });
  const sent = await session.fetch(`/conversations/${session.conversationId}/messages`, {
    method: "POST",
    json: { text: words },
  });
  expect(sent.status).toBe(201);
  const file = await session.fetch(`/conversations/${session.conversationId}/files`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream", "x-file-name": "photo of my id.png" },
    body: PNG,
  });
  expect(file.status).toBe(201);
  return { session, fileId: ((await file.json()) as { file: { id: string } }).file.id };
}

const visitorIdOf = async (session: VisitorSession) =>
  (await (await owner.fetch(`/api/v1/console/conversations/${session.conversationId}`)).json()).conversation
    .visitorId as string;

describe("exporting a visitor", () => {
  it("hands over one ZIP: visitor.json with their chats and messages, and their files' bytes", async () => {
    const { session, fileId } = await visitorWithFile("My order is A-2001, please send my data");
    const visitorId = await visitorIdOf(session);
    const answer = await owner.fetch(`/api/v1/console/visitors/${visitorId}/export`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("application/zip");
    expect(answer.headers.get("content-disposition")).toBe(`attachment; filename="hatch-${visitorId}.zip"`);
    const entries = await unzip(Buffer.from(await answer.arrayBuffer()));
    expect([...entries.keys()]).toEqual(["visitor.json", `files/${fileId}-photo of my id.png`]);
    const record = JSON.parse(entries.get("visitor.json")!.toString("utf8"));
    expect(record.visitorId).toBe(visitorId);
    expect(record.chats).toHaveLength(1);
    expect(record.chats[0].messages.map((m: { text: string }) => m.text)).toContain(
      "My order is A-2001, please send my data",
    );
    expect(entries.get(`files/${fileId}-photo of my id.png`)!.equals(Buffer.from(PNG))).toBe(true);
    const { entries: audit } = await (await owner.fetch("/api/v1/console/audit")).json();
    expect(audit[0]).toMatchObject({ action: "visitor.export", detail: { visitorId, chats: 1, files: 1 } });
  });

  it("leaves out the team's internal notes and who in the team did what", async () => {
    const { session } = await visitorWithFile("Where is my refund?");
    const visitorId = await visitorIdOf(session);
    const chat = `/api/v1/console/conversations/${session.conversationId}`;
    expect((await agent.fetch(`${chat}/accept`, { method: "POST" })).status).toBe(200);
    const note = await agent.fetch(`${chat}/notes`, {
      method: "POST",
      json: { text: "INTERNAL: refund denied, suspected fraud" },
    });
    expect(note.status).toBe(201);
    await agent.fetch(`${chat}/messages`, { method: "POST", json: { text: "Your refund is on its way." } });
    const entries = await unzip(
      Buffer.from(await (await owner.fetch(`/api/v1/console/visitors/${visitorId}/export`)).arrayBuffer()),
    );
    const json = entries.get("visitor.json")!.toString("utf8");
    expect(json).not.toContain("INTERNAL");
    expect(json).not.toMatch(/user_|agent@acme\.test|"screening"/);
    const { chats } = JSON.parse(json);
    expect(chats[0].messages.map((m: { from: string; text: string }) => `${m.from}: ${m.text}`)).toEqual(
      expect.arrayContaining(["visitor: Where is my refund?", "an agent: Your refund is on its way."]),
    );
  });

  it("is refused to a page of another site that opens it in the owner's browser", async () => {
    const { session } = await visitorWithFile("Hello");
    const visitorId = await visitorIdOf(session);
    for (const site of ["cross-site", "same-site"]) {
      const refused = await owner.fetch(`/api/v1/console/visitors/${visitorId}/export`, {
        headers: { "sec-fetch-site": site },
      });
      expect(refused.status, site).toBe(403);
    }
    const own = await owner.fetch(`/api/v1/console/visitors/${visitorId}/export`, {
      headers: { "sec-fetch-site": "same-origin" },
    });
    expect(own.status).toBe(200);
    await own.arrayBuffer();
  });

  it("ends a download whose file is gone meanwhile, and the server serves on", async () => {
    const { session, fileId } = await visitorWithFile("My files");
    const visitorId = await visitorIdOf(session);
    await h.server.deps.files.remove(fileId);
    const answer = await owner.fetch(`/api/v1/console/visitors/${visitorId}/export`);
    expect(answer.status).toBe(200);
    await expect(answer.arrayBuffer()).rejects.toThrow();
    expect((await owner.fetch("/api/v1/console/me")).status).toBe(200);
  });

  it("ends a download whose file cannot be read, and the server serves on", async () => {
    const { session, fileId } = await visitorWithFile("My unreadable file");
    const visitorId = await visitorIdOf(session);
    const { db, config } = h.server.deps;
    // Its bytes unreadable where they are kept: a folder where the file was (a read error once open), or
    // PostgreSQL's chunks out of reach (the read fails at once).
    if (onSharedServices) await sql`alter table file_chunks rename to file_chunks_away`.execute(db);
    else {
      const path = join(config.dataDir, "files", fileId);
      rmSync(path);
      mkdirSync(path);
    }
    try {
      const answer = await owner.fetch(`/api/v1/console/visitors/${visitorId}/export`);
      expect(answer.status).toBe(200);
      await expect(answer.arrayBuffer()).rejects.toThrow();
      expect((await owner.fetch("/api/v1/console/me")).status).toBe(200);
    } finally {
      if (onSharedServices) await sql`alter table file_chunks_away rename to file_chunks`.execute(db);
    }
  });
});

describe("erasing a visitor", () => {
  it("removes every chat, message and file of theirs, their bytes too, says how much, and audits it", async () => {
    const first = await visitorWithFile("First visit: my address is 1 Main St");
    const visitorId = await visitorIdOf(first.session);
    // The same browser again, in a second chat, once the first is closed.
    await owner.fetch(`/api/v1/console/conversations/${first.session.conversationId}/close`, { method: "POST" });
    const second = await visitorWithFile("Second visit", visitorId);
    const other = await visitorWithFile("Someone else entirely");
    // A mail about the first chat still waiting in the outbox, and one about the other visitor's.
    const queued = (conversationId: string, words: string) => ({
      account_id: "acme",
      channel: "mail" as const,
      dedupe_key: `offline:${conversationId}:user_x`,
      sequence_key: null,
      target_key: null,
      payload: JSON.stringify({ conversationId, text: words }),
      attempts: 0,
      next_at: h.clock.now() + 3_600_000,
      first_due_at: h.clock.now(),
      lease_until: null,
      lease_owner: null,
      created_at: h.clock.now(),
      done_at: null,
      last_error: null,
    });
    const { db } = h.server.deps;
    await db
      .insertInto("outbox")
      .values([queued(first.session.conversationId, "1 Main St"), queued(other.session.conversationId, "else")])
      .execute();
    const feed = new SseReader(await agent.fetch("/api/v1/console/events"));
    await expect.poll(() => feed.response.status).toBe(200);

    const erased = await owner.fetch(`/api/v1/console/visitors/${visitorId}`, { method: "DELETE" });
    expect(erased.status).toBe(200);
    expect(await erased.json()).toEqual({ chats: 2, messages: 4, files: 2 });

    for (const id of [first.session.conversationId, second.session.conversationId]) {
      expect((await owner.fetch(`/api/v1/console/conversations/${id}`)).status).toBe(404);
      expect(await h.server.deps.conversations.eventsAfter("acme", 0, id)).toEqual([]);
    }
    for (const fileId of [first.fileId, second.fileId]) {
      expect((await owner.fetch(`/api/v1/console/files/${fileId}`)).status).toBe(404);
      expect(await h.server.deps.files.read(fileId)).toBeNull();
    }
    const waiting = await db.selectFrom("outbox").select("payload").where("account_id", "=", "acme").execute();
    expect(waiting.map((row) => JSON.parse(row.payload).text)).toEqual(["else"]);
    // Another visitor's chat and file stay.
    expect((await owner.fetch(`/api/v1/console/conversations/${other.session.conversationId}`)).status).toBe(200);
    const kept = await h.server.deps.files.read(other.fileId);
    expect(kept).not.toBeNull();
    // Its file is open now: closed here, not left to the garbage collector (an error on Node 26).
    kept!.stream.destroy();
    // Open consoles drop the chats: the event names their ids, and nothing of them.
    await expect
      .poll(() => feed.events.find((e) => e.event === "erased")?.data, { timeout: 5000 })
      .toEqual({
        type: "erased",
        data: { conversationIds: [first.session.conversationId, second.session.conversationId] },
      });
    await feed.close();
    const { entries } = await (await owner.fetch("/api/v1/console/audit")).json();
    expect(entries[0]).toMatchObject({
      action: "visitor.erase",
      detail: { visitorId, chats: 2, messages: 4, files: 2 },
    });
    // Erased once: nothing is left to erase or export.
    expect((await owner.fetch(`/api/v1/console/visitors/${visitorId}`, { method: "DELETE" })).status).toBe(404);
    expect((await owner.fetch(`/api/v1/console/visitors/${visitorId}/export`)).status).toBe(404);
  });

  it("is for owners of the visitor's account, and for visitor ids only", async () => {
    const { session } = await visitorWithFile("Keep me");
    const visitorId = await visitorIdOf(session);
    expect((await agent.fetch(`/api/v1/console/visitors/${visitorId}`, { method: "DELETE" })).status).toBe(403);
    expect((await agent.fetch(`/api/v1/console/visitors/${visitorId}/export`)).status).toBe(403);
    // Another account's owner finds nothing of acme's visitor.
    expect((await rival.fetch(`/api/v1/console/visitors/${visitorId}`, { method: "DELETE" })).status).toBe(404);
    expect((await rival.fetch(`/api/v1/console/visitors/${visitorId}/export`)).status).toBe(404);
    for (const bad of ["not-a-visitor", "v_short", `${visitorId}x`]) {
      const refused = await owner.fetch(`/api/v1/console/visitors/${bad}`, { method: "DELETE" });
      expect(refused.status, bad).toBe(400);
      expect((await refused.json()).error.message).toMatch(/visitorId is the id a chat shows/);
    }
    expect((await owner.fetch(`/api/v1/console/conversations/${session.conversationId}`)).status).toBe(200);
  });
});

describe("a visitor with a long history", () => {
  it("is erased whole past a thousand chats (batched: SQLite takes an expression 1,000 deep at most), and exported", async () => {
    const { session } = await visitorWithFile("The first of many chats");
    const visitorId = await visitorIdOf(session);
    const { db } = h.server.deps;
    const first = await db
      .selectFrom("conversations")
      .selectAll()
      .where("id", "=", session.conversationId)
      .executeTakeFirstOrThrow();
    const more = Array.from({ length: 1100 }, (_, i) => ({
      ...first,
      id: `conv_many_${String(i).padStart(6, "0")}`,
      status: "closed" as const,
    }));
    for (let at = 0; at < more.length; at += 100)
      await db
        .insertInto("conversations")
        .values(more.slice(at, at + 100))
        .execute();

    const exported = await owner.fetch(`/api/v1/console/visitors/${visitorId}/export`);
    expect(exported.status).toBe(200);
    const record = JSON.parse(
      (await unzip(Buffer.from(await exported.arrayBuffer()))).get("visitor.json")!.toString("utf8"),
    );
    expect(record.chats).toHaveLength(1101);

    const erased = await owner.fetch(`/api/v1/console/visitors/${visitorId}`, { method: "DELETE" });
    expect(erased.status).toBe(200);
    expect(await erased.json()).toEqual({ chats: 1101, messages: 2, files: 1 });
    const left = await db.selectFrom("conversations").select("id").where("visitor_id", "=", visitorId).execute();
    expect(left).toEqual([]);
  }, 60_000);
});
