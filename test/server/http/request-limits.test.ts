// Every route that reads a body limits it while it arrives: a huge or endless body is refused with a
// 413 before it is read, and a refusal before the body ends tells the client the socket is closing.
import { afterAll, beforeAll, describe, expect, it, test } from "vitest";
import {
  editPolicy,
  startHarness,
  visitorSession,
  type ConsoleClient,
  type Harness,
  type VisitorSession,
} from "../harness";
import { bodyDeadlineMs } from "../../../server/http/request-body";
import { sendUntilClosed } from "../raw-http";

let h: Harness;
let owner: ConsoleClient;
let visitor: VisitorSession;

const MiB = 1024 * 1024;
/** The deadline's base, shortened from 10 s: what is tested is that the route's deadline holds, not its length. */
const DEADLINE_BASE_MS = 1000;

/** A body of `totalBytes` in 64 KiB chunks, sent as it is pulled; `pulled()` says how much the server took. */
function endlessBody(totalBytes: number, byte = 0x61) {
  const chunk = new Uint8Array(64 * 1024).fill(byte);
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => sent };
}

beforeAll(async () => {
  h = await startHarness({}, { seams: { bodyDeadlineBaseMs: DEADLINE_BASE_MS } });
  owner = await h.login("acme", "owner@acme.test");
  visitor = await visitorSession(h);
});
afterAll(() => h.stop());

type Sender = (path: string, init: RequestInit) => Promise<Response>;
const asOwner: Sender = (path, init) => owner.fetch(path, init);
const asVisitor: Sender = (path, init) => visitor.fetch(path, init);
const anonymous: Sender = (path, init) =>
  fetch(`${h.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), origin: h.origin } });

// [method, path, who sends it, the most it may read before refusing]
const ROUTES: [string, string, () => Sender, number][] = [
  ["POST", "/api/v1/console/session", () => anonymous, 64 * 1024],
  ["POST", "/api/v1/console/setup", () => anonymous, 64 * 1024],
  ["PATCH", "/api/v1/console/me/options", () => asOwner, 64 * 1024],
  ["PUT", "/api/v1/console/policy", () => asOwner, 64 * 1024],
  ["POST", "/api/v1/console/preview", () => asOwner, 64 * 1024],
  ["POST", "/api/v1/console/ip-rules", () => asOwner, 1_100_000],
  ["POST", "/api/v1/console/users", () => asOwner, 64 * 1024],
  ["POST", "/api/v1/console/conversations/conv_x/accept", () => asOwner, 1024],
  ["POST", "/api/v1/console/conversations/conv_x/messages", () => asOwner, 64 * 1024],
  ["POST", "/api/v1/console/conversations/conv_x/close", () => asOwner, 1024],
  ["POST", "/api/v1/console/conversations/conv_x/block", () => asOwner, 64 * 1024],
  ["PUT", "/api/v1/console/conversations/conv_x/previews", () => asOwner, 64 * 1024],
  ["POST", "/conversations", () => asVisitor, 32 * 1024],
  ["POST", "/conversations/{id}/messages", () => asVisitor, 64 * 1024],
  ["POST", "/conversations/{id}/files", () => asVisitor, 10 * MiB],
];

describe("bodies past their route's limit", () => {
  test.each(ROUTES)("%s %s refuses an endless chunked body before reading it", async (method, path, who, maxBytes) => {
    const body = endlessBody(maxBytes + 64 * MiB);
    const response = await who()(path.replace("{id}", visitor.conversationId), {
      method,
      body: body.stream,
      headers: { "content-type": "application/json", "if-match": "*" },
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("too_large");
    expect(response.headers.get("connection")).toBe("close");
    // Refused near the limit (socket buffers on both sides hold a few MiB), not after the 64 MiB more on offer.
    expect(body.pulled()).toBeLessThan(maxBytes + 8 * MiB);
  });

  test.each(ROUTES)(
    "%s %s refuses a body whose Content-Length is past the limit without reading it",
    async (method, path, who, maxBytes) => {
      const response = await who()(path.replace("{id}", visitor.conversationId), {
        method,
        body: new Uint8Array(maxBytes + 1).fill(0x61),
        headers: { "content-type": "application/json", "if-match": "*" },
      });
      expect(response.status).toBe(413);
    },
  );
});

describe("a refusal before the body is read", () => {
  it("says Connection: close, and the client's next request goes through on a new socket", async () => {
    await editPolicy(owner, (doc) => {
      doc.files = { categories: ["image"], maxBytes: 10 * MiB };
    });
    // 2 MiB of text: refused as a file type after its first bytes.
    const refused = await visitor.fetch(`/conversations/${visitor.conversationId}/files`, {
      method: "POST",
      body: new Uint8Array(2 * MiB).fill(0x61),
      headers: { "x-file-name": "notes.txt" },
    });
    expect(refused.status).toBe(415);
    expect(refused.headers.get("connection")).toBe("close");
    expect((await (await visitor.fetch(`/conversations`, { method: "POST" })).json()).conversation.id).toBe(
      visitor.conversationId,
    );

    // 1.6 MB of JSON where 64 KiB is the most.
    const large = await owner.fetch("/api/v1/console/policy", {
      method: "PUT",
      headers: { "if-match": "*", "content-type": "application/json" },
      body: `{"x":"${"a".repeat(1_600_000)}"}`,
    });
    expect(large.status).toBe(413);
    expect((await owner.fetch("/api/v1/console/me")).status).toBe(200);
  });

  it("keeps the socket when the whole body was read", async () => {
    const response = await owner.fetch("/api/v1/console/preview", {
      method: "POST",
      json: { ip: "256.1.1.1", page: "https://shop.example/" },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("connection")).not.toBe("close");
  });
});

describe("a body that trickles in", () => {
  it("is refused 408 once its route's deadline passes, and its connection closed, though bytes keep coming", async () => {
    const started = Date.now();
    // A byte every 200 ms: never idle long enough for any idle timeout.
    const received = await sendUntilClosed(
      h,
      `POST /api/v1/console/session HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${h.url}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
      { drip: " " },
    );
    const took = Date.now() - started;
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(received).toContain('"code":"too_slow"');
    expect(received.toLowerCase()).toContain("connection: close");
    // The 64 KiB JSON limit's deadline, and the half second the server drains for before it lets go.
    expect(took).toBeGreaterThanOrEqual(bodyDeadlineMs(64 * 1024, DEADLINE_BASE_MS) - 100);
    expect(took).toBeLessThan(bodyDeadlineMs(64 * 1024, DEADLINE_BASE_MS) + 5000);
  }, 30_000);
});
