// Visitor uploads judged by their bytes: 415 for disguised files, 413 declared and streamed, names made safe.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, test } from "vitest";
import { cleanFileName, MAX_FILE_NAME_CHARS } from "../../server/uploads";
import { editPolicy, startHarness, type ConsoleClient, type Harness } from "./harness";

const SITE = "https://shop.example";
const fixture = (name: string) => readFileSync(new URL(`../fixtures/files/${name}`, import.meta.url));

let h: Harness;
let owner: ConsoleClient;
let ticket: string;
let conversationId: string;

function setFiles(categories: string[], maxBytes = 10 * 1024 * 1024) {
  return editPolicy(owner, (doc) => {
    doc.files = { categories, maxBytes };
  });
}

function upload(name: string, body: BodyInit) {
  return fetch(`${h.url}/api/v1/widget/acme/conversations/${conversationId}/files`, {
    method: "POST",
    headers: { authorization: `Bearer ${ticket}`, origin: SITE, "x-file-name": encodeURIComponent(name), "content-type": "application/octet-stream" },
    body,
    duplex: "half",
  } as RequestInit);
}

beforeAll(async () => {
  h = await startHarness();
  owner = await h.login("acme", "owner@acme.test");
  const verdict = await (await fetch(`${h.url}/api/v1/widget/acme/ticket?page=${encodeURIComponent(SITE + "/")}`, { headers: { origin: SITE } })).json();
  ticket = verdict.ticket;
  const started = await fetch(`${h.url}/api/v1/widget/acme/conversations`, { method: "POST", headers: { authorization: `Bearer ${ticket}`, origin: SITE } });
  conversationId = (await started.json()).conversation.id;
});
afterAll(() => h.stop());

describe("visitor uploads", () => {
  it("stores an allowed file, judged by its bytes, and lets the agent download it", async () => {
    const response = await upload("photo.png", fixture("fixture.png"));
    expect(response.status).toBe(201);
    const message = await response.json();
    expect(message.file).toMatchObject({ name: "photo.png", kind: "png", category: "image", size: fixture("fixture.png").length });
    const [stored] = (await h.server.deps.conversations.messages(conversationId)).filter((m) => m.file);
    const download = await owner.fetch(`/api/v1/console/files/${stored!.file!.id}`);
    expect(Buffer.from(await download.arrayBuffer()).equals(fixture("fixture.png"))).toBe(true);
  });

  it.each([
    ["an HTML file named .png", "html-named-as.png", ["image"]],
    ["an SVG with a script under images only", "svg-with-script.svg", ["image"]],
    ["an SVG named .png under images only", "svg-named-as.png", ["image"]],
    ["a ZIP named .jpg under no harmful files", "zip-named-as.jpg", ["image", "audio", "video", "text"]],
    ["an EXE named .pdf under no harmful files", "exe-named-as.pdf", ["image", "audio", "video", "text", "document"]],
    ["a text file named .ps1", "text-named-as.ps1", ["image", "audio", "video", "text"]],
  ])("refuses %s with 415 and stores nothing", async (_name, file, categories) => {
    await setFiles(categories);
    const before = (await h.server.deps.conversations.messages(conversationId)).length;
    const response = await upload(file, fixture(file));
    expect(response.status).toBe(415);
    const { error } = await response.json();
    expect(error.code).toBe("file_type");
    expect(error.message).toMatch(/^Only .* can be sent in this chat\.$/);
    expect((await h.server.deps.conversations.messages(conversationId)).length).toBe(before);
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
    const stream = new ReadableStream({ pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    } });
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
    const response = await fetch(`${h.url}/api/v1/widget/acme/conversations/${conversationId}/files`, { method: "POST", headers: { origin: SITE }, body: "hello" });
    expect(response.status).toBe(401);
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

  it("cuts a name to its limit", () => {
    expect(cleanFileName("x".repeat(1000) + ".png")).toHaveLength(MAX_FILE_NAME_CHARS);
  });
});
