// Files served back to the console: inline only for safe raster images, nosniff, sandboxed, per account.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken, newId, newToken } from "../../../server/ids";
import type { StoredFile } from "../../../server/store/conversations";
import { startHarness, type ConsoleClient, type Harness } from "../harness";

const API = "/api/v1/console";

/** A 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const SVG = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>`);
const HTML = Buffer.from("<!DOCTYPE html><script>fetch('/api/v1/console/ip-rules')</script>");

let h: Harness;
let agent: ConsoleClient;
let rival: ConsoleClient;

beforeAll(async () => {
  h = await startHarness();
  [agent, rival] = await Promise.all([h.login("acme", "agent@acme.test"), h.login("rival", "owner@rival.test")]);
});
afterAll(() => h.stop());

/** Stores a visitor's file the way the upload route does: the bytes in the file store, the row with its message. */
async function visitorFile(
  bytes: Buffer,
  fields: Omit<StoredFile, "id" | "size">,
  accountId = "acme",
): Promise<StoredFile> {
  const { conversations, files, now } = h.server.deps;
  const { conversation } = (await conversations.startOrResume(
    {
      accountId,
      visitorId: newId("v"),
      visitorIp: "203.0.113.7",
      visitorCountry: "DE",
      page: "https://shop.example/x",
      secretHash: hashToken(newToken()),
    },
    null,
    now(),
  ))!;
  const file: StoredFile = { id: newId("file"), size: bytes.byteLength, ...fields };
  await files.write(file.id, [bytes]);
  await conversations.addMessage(conversation, "visitor", null, "", file, now());
  return file;
}

describe("console files", () => {
  it("serves a PNG inline as image/png, sandboxed and not sniffed", async () => {
    const file = await visitorFile(PNG, { name: "photo.png", kind: "png", mime: "image/png", category: "image" });
    const response = await agent.fetch(`${API}/files/${file.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-disposition")).toBe(
      `inline; filename="photo.png"; filename*=UTF-8''photo.png`,
    );
    expect(response.headers.get("cache-control")).toBe("private, max-age=3600");
    expect(Buffer.from(await response.arrayBuffer())).toEqual(PNG);
  });

  it.each([
    ["an SVG with a script", SVG, { name: "logo.svg", kind: "svg", mime: "image/svg+xml", category: "script" }],
    ["an HTML page named like a PNG", HTML, { name: "cat.png", kind: "html", mime: "text/html", category: "script" }],
    [
      "an SVG even if it were filed as an image",
      SVG,
      { name: "logo.svg", kind: "svg", mime: "image/svg+xml", category: "image" },
    ],
    [
      "an image type that is not a raster one listed as safe",
      PNG,
      { name: "icon.ico", kind: "ico", mime: "image/x-icon", category: "image" },
    ],
  ] as const)("serves %s as an octet-stream attachment", async (_, bytes, fields) => {
    const file = await visitorFile(bytes, fields);
    const response = await agent.fetch(`${API}/files/${file.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; /);
    expect(response.headers.get("content-disposition")).toContain(
      `filename*=UTF-8''${encodeURIComponent(fields.name)}`,
    );
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it("sandboxes every file with a CSP that lets it load and run nothing, even opened on its own", async () => {
    for (const [bytes, fields] of [
      [PNG, { name: "photo.png", kind: "png", mime: "image/png", category: "image" }],
      [SVG, { name: "logo.svg", kind: "svg", mime: "image/svg+xml", category: "script" }],
    ] as const) {
      const file = await visitorFile(bytes, fields);
      const response = await agent.fetch(`${API}/files/${file.id}`);
      expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
      await response.body?.cancel();
    }
  });

  it("answers HEAD with the headers and length only", async () => {
    const file = await visitorFile(PNG, { name: "photo.png", kind: "png", mime: "image/png", category: "image" });
    const response = await agent.fetch(`${API}/files/${file.id}`, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("content-length")).toBe(String(PNG.byteLength));
    expect(await response.text()).toBe("");
  });

  it("encodes a name with non-ASCII letters, quotes and spaces per RFC 5987, with an ASCII fallback", async () => {
    const file = await visitorFile(Buffer.from("%PDF-1.7\n"), {
      name: `résumé "final" (2).pdf`,
      kind: "pdf",
      mime: "application/pdf",
      category: "document",
    });
    const response = await agent.fetch(`${API}/files/${file.id}`);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="r_sum_ _final_ (2).pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22%20%282%29.pdf`,
    );
    await response.body?.cancel();
  });

  it("does not serve another account's file, answering as for no file at all", async () => {
    const file = await visitorFile(PNG, { name: "photo.png", kind: "png", mime: "image/png", category: "image" });
    const response = await rival.fetch(`${API}/files/${file.id}`);
    expect(response.status).toBe(404);
    const missing = await rival.fetch(`${API}/files/${newId("file")}`);
    expect(missing.status).toBe(404);
    expect(await response.json()).toEqual(await missing.json());
  });

  it.each([
    ["an id that is not a file id", "not-a-file"],
    ["a path", encodeURIComponent("../../secret")],
  ])("answers 404 for %s", async (_, id) => {
    const response = await agent.fetch(`${API}/files/${id}`);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("not_found");
  });

  it("answers 404 when the bytes are gone from disk", async () => {
    const { conversations, now } = h.server.deps;
    const { conversation } = (await conversations.startOrResume(
      {
        accountId: "acme",
        visitorId: newId("v"),
        visitorIp: "203.0.113.8",
        visitorCountry: null,
        page: "https://shop.example/",
        secretHash: hashToken(newToken()),
      },
      null,
      now(),
    ))!;
    const file: StoredFile = {
      id: newId("file"),
      name: "gone.png",
      size: 10,
      kind: "png",
      mime: "image/png",
      category: "image",
    };
    await conversations.addMessage(conversation, "visitor", null, "", file, now());
    expect((await agent.fetch(`${API}/files/${file.id}`)).status).toBe(404);
  });

  it("is 401 without a session", async () => {
    const file = await visitorFile(PNG, { name: "photo.png", kind: "png", mime: "image/png", category: "image" });
    const response = await fetch(`${h.url}${API}/files/${file.id}`);
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("signed_out");
  });
});
