// Uploads scanned by a real clamd (CLAMD_URL) before anyone can see them: a finding refuses the file
// (415 `malware`, the signature in the audit and never told to the visitor, a line in the chat for
// the agents, nothing kept) and counts toward the visitor's automatic ban; clamd down refuses
// uploads (503) unless CLAMD_OPTIONAL lets them through unscanned.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MARKER, MARKER_SIGNATURE, startClamd, type Clamd } from "../clamd";
import { editPolicy, signInAll, startHarness, visitorSession, type ConsoleClient, type Harness } from "../harness";

let clamd: Clamd;
let required: Harness;
let optional: Harness;
let owner: ConsoleClient;

beforeAll(async () => {
  clamd = await startClamd();
  [required, optional] = await Promise.all([
    startHarness({ TRUST_PROXY: "loopback", CLAMD_URL: clamd.socketUrl }),
    startHarness({ TRUST_PROXY: "loopback", CLAMD_URL: clamd.tcpUrl, CLAMD_OPTIONAL: "1" }),
  ]);
  ({ owner } = await signInAll(required));
});
afterAll(async () => {
  await Promise.all([required.stop(), optional.stop(), clamd.stop()]);
});

let lastAddress = 20;
async function send(h: Harness, text: string, visitor?: Awaited<ReturnType<typeof visitorSession>>) {
  const session = visitor ?? (await visitorSession(h, { forwardedFor: `198.51.100.${lastAddress++}` }));
  const response = await session.fetch(`/conversations/${session.conversationId}/files`, {
    method: "POST",
    headers: { "x-file-name": "notes.txt", "content-type": "application/octet-stream" },
    body: text,
  });
  return { response, session };
}

const storedFiles = (h: Harness) =>
  h.server.deps.db
    .selectFrom("files")
    .select("id")
    .execute()
    .then((rows) => rows.length);

describe("an upload with CLAMD_URL", () => {
  it("is kept when clamd finds nothing", async () => {
    const { response } = await send(required, "hello, here are my notes");
    expect(response.status).toBe(201);
  });

  it("is refused when clamd finds something, with the signature in the audit and a line in the chat", async () => {
    const before = await storedFiles(required);
    const { response, session } = await send(required, `notes\n${MARKER}\nmore notes`);
    expect(response.status).toBe(415);
    const { error } = await response.json();
    expect(error).toMatchObject({
      code: "malware",
      message: "notes.txt was refused because a virus scanner found something in it.",
    });
    expect(JSON.stringify(error)).not.toContain(MARKER_SIGNATURE);
    expect(await storedFiles(required)).toBe(before);

    const { entries } = await (await owner.fetch("/api/v1/console/audit?limit=20")).json();
    expect(entries.find((entry: { action: string }) => entry.action === "file.malware")?.detail).toMatchObject({
      conversationId: session.conversationId,
      name: "notes.txt",
      signature: MARKER_SIGNATURE,
    });
    const { messages } = await (await owner.fetch(`/api/v1/console/conversations/${session.conversationId}`)).json();
    expect(messages).toEqual([
      expect.objectContaining({ author: "system", file: null, text: expect.stringContaining("virus scanner") }),
    ]);
    // The visitor's own view of the chat has no such line: they were told when they sent it.
    const resumed = await (await session.fetch("/conversations", { method: "POST" })).json();
    expect(resumed.messages).toEqual([]);
  });

  it("bans a visitor whose infected files reach the abusive-messages count", async () => {
    await editPolicy(owner, (doc) => {
      doc.screening = { abusiveMessages: 2 };
    });
    const first = await send(required, MARKER);
    expect(first.response.status).toBe(415);
    const second = await send(required, MARKER, first.session);
    expect(second.response.status).toBe(403);
    expect((await second.response.json()).error.code).toBe("unavailable");
  });
});

describe("an upload while clamd is down", () => {
  it("is refused, to be sent again, unless CLAMD_OPTIONAL lets it through unscanned", async () => {
    await clamd.stop();
    const refused = await send(required, "hello");
    expect(refused.response.status).toBe(503);
    expect(refused.response.headers.get("retry-after")).toBe("60");
    expect((await refused.response.json()).error.code).toBe("scanner_unavailable");
    const unscanned = await send(optional, "hello");
    expect(unscanned.response.status).toBe(201);
  });
});
