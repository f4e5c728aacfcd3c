// Avatars on a real server: the team's (owners upload, then name it in the policy) and each user's
// own, inspected like any upload and only PNG, JPEG, GIF or WebP; served publicly under the widget
// API only while shown, never any other file; the old one gone when replaced; carried to the widget
// in the verdict's config and beside the agent's messages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_AVATAR_BYTES } from "../../../server/routes/avatars";
import { readFixture } from "../../fixtures/read";
import {
  askVerdict,
  editPolicy,
  signInAll,
  startHarness,
  visitorSession,
  type ConsoleClient,
  type Harness,
} from "../harness";

const PNG = readFixture("fixture.png");
const TEAM = "/api/v1/console/avatar";
const MINE = "/api/v1/console/me/avatar";

let h: Harness;
let owner: ConsoleClient;
let agent: ConsoleClient;
let rival: ConsoleClient;

beforeAll(async () => {
  h = await startHarness();
  ({ owner, agent, rival } = await signInAll(h));
});
afterAll(() => h.stop());

const upload = (by: ConsoleClient, path: string, bytes: Uint8Array<ArrayBuffer>, method = "POST") =>
  by.fetch(path, { method, headers: { "content-type": "application/octet-stream" }, body: bytes });

async function uploaded(by: ConsoleClient, path: string, method = "POST"): Promise<string> {
  const answer = await upload(by, path, PNG, method);
  expect(answer.status).toBe(method === "POST" ? 201 : 200);
  return ((await answer.json()) as { fileId: string }).fileId;
}

/** The public avatar route, asked as a host page's <img> would: no session, no ticket. */
const served = (fileId: string, account = "acme") => fetch(`${h.url}/api/v1/widget/${account}/avatars/${fileId}`);

const setTeamAvatar = (by: ConsoleClient, avatar: string | null) =>
  editPolicy(by, (doc) => {
    doc.window = { ...(doc.window as object), avatar };
  });

async function avatarRows(): Promise<number> {
  const rows = await h.server.deps.db.selectFrom("avatars").select("file_id").execute();
  return rows.length;
}

describe("the team avatar", () => {
  it("is uploaded by an owner, named in the policy, served publicly as its image type and sent in the verdict's config", async () => {
    const fileId = await uploaded(owner, TEAM);
    await setTeamAvatar(owner, fileId);
    const answer = await served(fileId);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("image/png");
    expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
    expect(answer.headers.get("content-security-policy")).toMatch(/^default-src 'none'/);
    expect(answer.headers.get("cache-control")).toBe("public, max-age=86400");
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(new Uint8Array(await answer.arrayBuffer())).toEqual(PNG);
    const { config } = await (await askVerdict(h)).json();
    expect(config.avatar).toBe(fileId);
  });

  it("is gone, bytes and all, once the policy names another", async () => {
    const first = await uploaded(owner, TEAM);
    await setTeamAvatar(owner, first);
    const second = await uploaded(owner, TEAM);
    await setTeamAvatar(owner, second);
    expect((await served(first)).status).toBe(404);
    expect(await h.server.deps.files.read(first)).toBeNull();
    expect((await served(second)).status).toBe(200);
  });

  it("outlives the sweep of uploads a killed process left behind", async () => {
    const fileId = await uploaded(owner, TEAM);
    await setTeamAvatar(owner, fileId);
    const { db, files } = h.server.deps;
    // Written long ago, as the sweep's abandoned uploads are (file_chunks is where PostgreSQL keeps the bytes).
    await db.updateTable("file_chunks").set({ created_at: 0 }).where("file_id", "=", fileId).execute();
    await files.sweep(Date.now());
    expect((await served(fileId)).status).toBe(200);
  });

  it("is not served while uploaded but not yet saved in the policy, nor under another account", async () => {
    const fileId = await uploaded(owner, TEAM);
    expect((await served(fileId)).status).toBe(404);
    await setTeamAvatar(owner, fileId);
    expect((await served(fileId, "rival")).status).toBe(404);
  });

  it("is set by owners only, and never to another account's upload or a user's own avatar", async () => {
    expect((await upload(agent, TEAM, PNG)).status).toBe(403);
    const theirs = await uploaded(rival, TEAM);
    const current = await owner.fetch("/api/v1/console/policy");
    const doc = await current.json();
    const saved = await owner.fetch("/api/v1/console/policy", {
      method: "PUT",
      json: { ...doc, window: { ...doc.window, avatar: theirs } },
      headers: { "if-match": current.headers.get("etag") ?? "" },
    });
    expect(saved.status).toBe(400);
    expect(Object.keys((await saved.json()).error.fields)).toEqual(["window.avatar"]);
    expect((await served(theirs)).status).toBe(404);
    const agentsOwn = await uploaded(agent, MINE, "PUT");
    await expect(setTeamAvatar(owner, agentsOwn)).rejects.toThrow(/not saved: 400/);
  });
});

describe("an avatar upload", () => {
  it.each([
    ["an SVG (a script)", "fixture.svg"],
    ["a web page named .png", "html-named-as.png"],
    ["an SVG named .png", "svg-named-as.png"],
    ["an image no browser is sure to draw (BMP)", "fixture.bmp"],
  ])("refuses %s with 415, keeping nothing", async (_name, fixture) => {
    const before = await avatarRows();
    for (const [by, path, method] of [
      [owner, TEAM, "POST"],
      [agent, MINE, "PUT"],
    ] as const) {
      const answer = await upload(by, path, readFixture(fixture), method);
      expect(answer.status).toBe(415);
      expect((await answer.json()).error.code).toBe("file_type");
    }
    expect(await avatarRows()).toBe(before);
  });

  it("refuses more than 1 MiB with 413, keeping nothing", async () => {
    const before = await avatarRows();
    const big = new Uint8Array(MAX_AVATAR_BYTES + 1);
    big.set(PNG);
    const answer = await upload(owner, TEAM, big);
    expect(answer.status).toBe(413);
    expect(await avatarRows()).toBe(before);
  });
});

describe("a user's own avatar", () => {
  it("is set, read, replaced (the old one gone) and removed by the user", async () => {
    const first = await uploaded(agent, MINE, "PUT");
    expect(await (await agent.fetch(MINE)).json()).toEqual({ fileId: first });
    expect((await served(first)).status).toBe(200);
    const second = await uploaded(agent, MINE, "PUT");
    expect((await served(first)).status).toBe(404);
    expect(await h.server.deps.files.read(first)).toBeNull();
    expect((await agent.fetch(MINE, { method: "DELETE" })).status).toBe(204);
    expect((await served(second)).status).toBe(404);
    expect(await (await agent.fetch(MINE)).json()).toEqual({ fileId: null });
  });

  it("goes to the visitor beside the agent's messages", async () => {
    const fileId = await uploaded(agent, MINE, "PUT");
    const visitor = await visitorSession(h);
    const chat = `/api/v1/console/conversations/${visitor.conversationId}`;
    expect((await agent.fetch(`${chat}/accept`, { method: "POST" })).status).toBe(200);
    expect((await agent.fetch(`${chat}/messages`, { method: "POST", json: { text: "Hello" } })).status).toBe(201);
    const resumed = await (await visitor.fetch("/conversations", { method: "POST" })).json();
    expect(resumed.messages.at(-1)).toMatchObject({ text: "Hello", agentAvatar: fileId });
  });
});

describe("the public avatar route", () => {
  it("answers 404 for a chat's file, even one a user's avatar column were made to name", async () => {
    const visitor = await visitorSession(h);
    const sent = await visitor.fetch(`/conversations/${visitor.conversationId}/files`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream", "x-file-name": "cat.png" },
      body: PNG,
    });
    expect(sent.status).toBe(201);
    const chatFile = ((await sent.json()) as { file: { id: string } }).file.id;
    const agentId = (await (await agent.fetch("/api/v1/console/me")).json()).user.id as string;
    await h.server.deps.avatars.setUserAvatar(agentId, chatFile);
    expect((await served(chatFile)).status).toBe(404);
  });
});
