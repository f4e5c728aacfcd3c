// Visitor uploads judged by their bytes: 415 for disguised files and for what inspection finds inside,
// 413 declared and streamed, names made safe, and the bytes one address may send an hour reserved before
// they are read.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { readFixture } from "../../fixtures/read";
import { afterAll, beforeAll, describe, expect, it, test } from "vitest";
import { LIMITS } from "../../../server/limits";
import { memoryRateLimit } from "../../../server/protection/rate-limit";
import { MAX_FILE_NAME_CHARS } from "../../../server/limits";
import { cleanFileName } from "../../../server/files/uploads";
import {
  editPolicy,
  startHarness,
  visitorSession,
  type ConsoleClient,
  type Harness,
  withoutAutomaticBans,
} from "../harness";

const SITE = "https://shop.example";
const fixture = (name: string) => Buffer.from(readFixture(name));
/** The inspection fixtures, made by test/fixtures/inspection/make.sh. */
const inspectionFixture = (name: string) =>
  readFileSync(join(import.meta.dirname, "..", "..", "fixtures", "inspection", name));

/** How many files the store holds: DATA_DIR's files (partial ones too), or the files in the chunks table. */
async function filesStored(): Promise<number> {
  const { config, db } = h.server.deps;
  if (config.databaseUrl === null) return readdirSync(join(config.dataDir, "files")).length;
  const { rows } = await sql<{ n: number }>`select count(distinct file_id) as n from file_chunks`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** The chat's messages after its first `before`. */
const addedSince = async (before: number) => (await h.server.deps.conversations.messages(conversationId)).slice(before);

/** The line a refused file leaves in the chat for the agents, never the file. */
const refusalLine = (message: string) =>
  expect.objectContaining({ author: "system", file: null, text: `The visitor's file was refused: ${message}` });

let h: Harness;
let owner: ConsoleClient;
let ticket: string;
let conversationId: string;
let secret: string;

function setFiles(categories: string[], maxBytes = 10 * 1024 * 1024) {
  return editPolicy(owner, (doc) => {
    doc.files = { categories, maxBytes };
  });
}

function upload(name: string, body: BodyInit) {
  return fetch(`${h.url}/api/v1/widget/acme/conversations/${conversationId}/files`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${ticket}`,
      "x-chat-secret": secret,
      origin: SITE,
      "x-file-name": encodeURIComponent(name),
      "content-type": "application/octet-stream",
    },
    body,
    duplex: "half",
  } as RequestInit);
}

beforeAll(async () => {
  h = await startHarness();
  await withoutAutomaticBans(h);
  owner = await h.login("acme", "owner@acme.test");
  const verdict = await (
    await fetch(`${h.url}/api/v1/widget/acme/ticket?page=${encodeURIComponent(SITE + "/")}`, {
      headers: { origin: SITE },
    })
  ).json();
  ticket = verdict.ticket;
  const started = await fetch(`${h.url}/api/v1/widget/acme/conversations`, {
    method: "POST",
    headers: { authorization: `Bearer ${ticket}`, origin: SITE },
  });
  ({
    conversation: { id: conversationId },
    secret,
  } = await started.json());
});
afterAll(() => h.stop());

describe("visitor uploads", () => {
  it("stores an allowed file, judged by its bytes, and lets the agent download it", async () => {
    const response = await upload("photo.png", fixture("fixture.png"));
    expect(response.status).toBe(201);
    const message = await response.json();
    expect(message.file).toMatchObject({
      name: "photo.png",
      kind: "png",
      category: "image",
      size: fixture("fixture.png").length,
    });
    const [stored] = (await h.server.deps.conversations.messages(conversationId)).filter((m) => m.file);
    const download = await owner.fetch(`/api/v1/console/files/${stored!.file!.id}`);
    expect(Buffer.from(await download.arrayBuffer()).equals(fixture("fixture.png"))).toBe(true);
  });

  // A name that claims another kind than the bytes is told first ("… is not an image: it contains a web page.").
  it.each([
    ["an HTML file named .png", "html-named-as.png", ["image"], "is not an image: it contains a web page. "],
    ["an SVG with a script under images only", "svg-with-script.svg", ["image"], ""],
    ["an SVG named .png under images only", "svg-named-as.png", ["image"], "is not an image: it contains a script. "],
    [
      "a ZIP named .jpg under no harmful files",
      "zip-named-as.jpg",
      ["image", "audio", "video", "text"],
      "is not an image: it contains an archive. ",
    ],
    [
      "an EXE named .pdf under no harmful files",
      "exe-named-as.pdf",
      ["image", "audio", "video", "text", "document"],
      "is not a document: it contains a program. ",
    ],
    ["a text file named .ps1", "text-named-as.ps1", ["image", "audio", "video", "text"], ""],
  ])("refuses %s with 415 and stores nothing", async (_name, file, categories, disguise) => {
    await setFiles(categories);
    const before = (await h.server.deps.conversations.messages(conversationId)).length;
    const response = await upload(file, fixture(file));
    expect(response.status).toBe(415);
    const { error } = await response.json();
    expect(error.code).toBe("file_type");
    expect(error.message.slice(0, -error.message.match(/Only .* can be sent in this chat\.$/)[0].length)).toBe(
      disguise && `${file} ${disguise}`,
    );
    expect(await addedSince(before)).toEqual([refusalLine(error.message)]);
  });

  // Inspection (DESIGN.md "Screening, inspection, privacy, notifications"): allowed by kind, refused for what is inside.
  it.each([
    ["macro.docm", "macro"],
    ["macro.doc", "macro"],
    ["js-openaction.pdf", "active_content"],
    ["js-objstm.pdf", "active_content"],
    ["launch.pdf", "active_content"],
    ["embedded.pdf", "active_content"],
    ["encrypted.pdf", "encrypted"],
    ["encrypted.zip", "encrypted"],
    ["exe-inside.zip", "archive_content"],
    ["nested-3.zip", "archive_content"],
    ["script.tar.gz", "archive_content"],
    ["bomb.zip", "archive_bomb"],
  ])("refuses %s with 415 %s and keeps nothing of it", async (file, code) => {
    await setFiles(["image", "document", "archive", "text"]);
    const before = (await h.server.deps.conversations.messages(conversationId)).length;
    const stored = await filesStored();
    const response = await upload(file, inspectionFixture(file));
    expect(response.status).toBe(415);
    const { error } = await response.json();
    expect(error).toMatchObject({ code, message: expect.stringContaining(file) });
    expect(await filesStored()).toBe(stored);
    expect(await addedSince(before)).toEqual([refusalLine(error.message)]);
  });

  it("stores a photo without its GPS position, and the agent downloads the stripped bytes", async () => {
    await setFiles(["image"]);
    const original = inspectionFixture("gps.jpg");
    const response = await upload("photo.jpg", original);
    expect(response.status).toBe(201);
    const { file } = await response.json();
    const download = Buffer.from(await (await owner.fetch(`/api/v1/console/files/${file.id}`)).arrayBuffer());
    expect(download.length).toBe(file.size);
    expect(download.length).toBeLessThan(original.length);
    expect(download.includes("Visitor")).toBe(false);
    expect(download.includes("taken at home")).toBe(false);
  });

  it("says what is allowed in the visitor's words", async () => {
    await setFiles(["image"]);
    const { error } = await (await upload("a.html", fixture("html-named-as.png"))).json();
    expect(error.message).toBe("Only images can be sent in this chat.");
  });

  it("refuses a file over the size limit with 413, by its declared length and by its bytes", async () => {
    await setFiles(["text"], 1000);
    const declared = await upload("big.txt", "a".repeat(5000));
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.message).toBe("This file is larger than the 1000 bytes this chat accepts.");
    // A streamed body has no Content-Length: the limit is enforced as the bytes arrive.
    const chunks = [new TextEncoder().encode("a".repeat(800)), new TextEncoder().encode("b".repeat(800))];
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const streamed = await upload("big.txt", stream);
    expect(streamed.status).toBe(413);
  });

  it("refuses an empty file", async () => {
    await setFiles(["text"]);
    const response = await upload("empty.txt", new Uint8Array(0));
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("empty_file");
  });

  it("keeps a visitor's file name harmless", async () => {
    await setFiles(["text"]);
    const response = await upload("../../etc/passwd\u0000.txt", "hello");
    expect(response.status).toBe(201);
    expect((await response.json()).file.name).toBe(".._.._etc_passwd_.txt");
  });

  it("replaces bidi and format characters that would disguise a name", async () => {
    // Text under a name that is not plain text is `other`: allowed here, since this is about the name.
    await setFiles(["text", "other"]);
    const response = await upload("invoice\u202Egnp.exe", "hello");
    expect((await response.json()).file.name).toBe("invoice_gnp.exe");
  });

  it("refuses an upload without a valid ticket", async () => {
    const response = await fetch(`${h.url}/api/v1/widget/acme/conversations/${conversationId}/files`, {
      method: "POST",
      headers: { origin: SITE },
      body: "hello",
    });
    expect(response.status).toBe(401);
  });
});

describe("the upload budget per address", () => {
  const MiB = 1024 * 1024;

  it("lets one address store at most its budget, however many uploads run at once", async () => {
    // The real budget is 200 MiB an hour; this server's is 20 MiB, so 25 files of 1 MiB do what 25 of
    // 10 MiB would. Its own server, so the budget is whole and no earlier upload counts; 25 files are
    // within the 30 messages a minute an address may send, so the byte budget is what refuses.
    expect(LIMITS.uploadBytes.limit).toBe(200 * MiB);
    const budget = 20 * MiB;
    const fresh = await startHarness({}, { limits: { uploadBytes: { ...LIMITS.uploadBytes, limit: budget } } });
    try {
      await withoutAutomaticBans(fresh);
      const visitor = await visitorSession(fresh);
      const file = Buffer.alloc(MiB, "a");
      const send = () =>
        visitor.fetch(`/conversations/${visitor.conversationId}/files`, {
          method: "POST",
          headers: { "x-file-name": "big.txt", "content-type": "application/octet-stream" },
          body: file,
        });
      const answers = await Promise.all(Array.from({ length: 25 }, send));
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(20);
      const refused = answers.filter((answer) => answer.status === 429);
      expect(refused).toHaveLength(5);
      for (const answer of refused) {
        expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
        expect((await answer.json()).error.code).toBe("rate_limited");
      }
      const stored = (await fresh.server.deps.conversations.messages(visitor.conversationId)).filter((m) => m.file);
      expect(stored.reduce((sum, m) => sum + m.file!.size, 0)).toBeLessThanOrEqual(budget);
    } finally {
      await fresh.stop();
    }
  });

  describe("with a budget of 1 MiB and files up to 1 MiB", () => {
    // The budget's size is not what these pin but the reservation's bookkeeping, so it is made small.
    let original: Harness["server"]["deps"]["limits"]["uploadBytes"];
    beforeAll(async () => {
      original = h.server.deps.limits.uploadBytes;
      await setFiles(["text"], MiB);
    });
    afterAll(() => {
      h.server.deps.limits.uploadBytes = original;
    });
    const freshBudget = () => {
      h.server.deps.limits.uploadBytes = memoryRateLimit({ ...LIMITS.uploadBytes, limit: MiB }, () =>
        h.server.deps.now(),
      );
    };

    it("gives back what a refused upload reserved", async () => {
      freshBudget();
      const disguised = Buffer.concat([
        fixture("exe-named-as.pdf"),
        Buffer.alloc(MiB - fixture("exe-named-as.pdf").length),
      ]);
      expect((await upload("invoice.pdf", disguised)).status).toBe(415);
      expect((await upload("notes.txt", Buffer.alloc(MiB, "a"))).status).toBe(201);
    });

    it("reserves the limit for a body of no declared length, keeps what arrived and gives back the rest", async () => {
      freshBudget();
      const small = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("a".repeat(100)));
          controller.close();
        },
      });
      expect((await upload("small.txt", small)).status).toBe(201);
      expect((await upload("rest.txt", Buffer.alloc(MiB - 100, "a"))).status).toBe(201);
      const over = await upload("one-more.txt", "a");
      expect(over.status).toBe(429);
      expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    });
  });
});

describe("cleanFileName", () => {
  test.each([
    ["photo%20of%20me.png", "photo of me.png"],
    ["100%.txt", "100%.txt"],
    ["a/b\\c.txt", "a_b_c.txt"],
    ["line\u2028break.txt", "line_break.txt"],
    ["   ", "file"],
    ["", "file"],
  ])("makes %j into %j", (raw, clean) => {
    expect(cleanFileName(raw)).toBe(clean);
  });

  it("cuts a name at its limit between characters, never inside an emoji", () => {
    const name = cleanFileName("x".repeat(MAX_FILE_NAME_CHARS - 1) + "😀😀.png");
    expect(name).toBe("x".repeat(MAX_FILE_NAME_CHARS - 1));
    expect(name).not.toMatch(/[\uD800-\uDFFF]/);
  });

  it("cuts a name to its limit", () => {
    expect(cleanFileName("x".repeat(1000) + ".png")).toHaveLength(MAX_FILE_NAME_CHARS);
  });
});
