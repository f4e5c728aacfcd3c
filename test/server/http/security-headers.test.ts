// Every answer of a real server carries the security headers of what it is: the console's page a
// strict CSP and no framing; scripts, JSON, redirects and errors an inert CSP, nosniff and the CORP
// their readers need; event streams only what applies to a stream. One table, every route and asset.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFixture } from "../../fixtures/read";
import {
  signInAll,
  startHarness,
  visitorSession,
  type ConsoleClient,
  type Harness,
  type VisitorSession,
} from "../harness";

type Corp = "same-origin" | "cross-origin";
type Kind = { page: true } | { resource: Corp } | { stream: Corp };

const SITE = "https://shop.example";
const TOKEN = "metrics-token-for-the-header-test";
const INERT_CSP = "default-src 'none'; frame-ancestors 'none'";
/** Headers that govern a document only: on the console's page, nowhere else. */
const DOCUMENT_ONLY = [
  "cross-origin-opener-policy",
  "origin-agent-cluster",
  "permissions-policy",
  "x-dns-prefetch-control",
  "x-permitted-cross-domain-policies",
];

let h: Harness;
let owner: ConsoleClient;
let visitor: VisitorSession;
let fileId: string;

beforeAll(async () => {
  h = await startHarness({ METRICS_TOKEN: TOKEN });
  ({ owner } = await signInAll(h));
  visitor = await visitorSession(h);
  const uploaded = await visitor.fetch(`/conversations/${visitor.conversationId}/files`, {
    method: "POST",
    headers: { "x-file-name": "photo.png", "content-type": "application/octet-stream" },
    body: Buffer.from(readFixture("fixture.png")),
  });
  expect(uploaded.status).toBe(201);
  const [message] = (await h.server.deps.conversations.messages(visitor.conversationId)).filter((m) => m.file);
  fileId = message!.file!.id;
});
afterAll(() => h.stop());

/** A CSP's directives, each to its sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(";").map((part) => {
      const [name = "", ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

/** Checks an answer's headers against what its kind must carry, and nothing that does not apply to it. */
function expectHeadersOf(response: Response, kind: Kind): void {
  const headers = response.headers;
  expect(headers.get("x-content-type-options")).toBe("nosniff");
  expect(headers.get("strict-transport-security")).toMatch(/^max-age=\d{7,}/);
  expect(headers.get("referrer-policy")).toMatch(/^(same-origin|strict-origin-when-cross-origin)$/);
  if ("page" in kind) {
    const csp = directives(headers.get("content-security-policy") ?? "");
    expect(csp.get("default-src")).toEqual(["'none'"]);
    expect(csp.get("script-src")).toEqual(["'self'"]);
    expect(csp.get("style-src")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect(headers.get("x-frame-options")).toBe("DENY");
    expect(headers.get("cross-origin-resource-policy")).toBe("same-origin");
    expect(headers.get("cross-origin-opener-policy")).toBe("same-origin");
    return;
  }
  const corp = "resource" in kind ? kind.resource : kind.stream;
  expect(headers.get("cross-origin-resource-policy")).toBe(corp);
  expect(headers.get("content-security-policy")).toBe(INERT_CSP);
  // A stream keeps its head in memory for as long as it is open: nothing that does not apply to it.
  expect(headers.get("x-frame-options")).toBe("resource" in kind ? "DENY" : null);
  for (const name of DOCUMENT_ONLY) expect(headers.get(name), name).toBeNull();
}

const anyone = (path: string, init: RequestInit = {}) => fetch(`${h.url}${path}`, { redirect: "manual", ...init });
const fromSite = (path: string) => anyone(path, { headers: { origin: SITE } });
const asOwner = (path: string, init: RequestInit = {}) => owner.fetch(path, { redirect: "manual", ...init });
const asVisitor = (path: string, init: RequestInit = {}) => visitor.fetch(path, init);
const consoleFile = (ending: string) =>
  [...h.server.deps.assets.files.keys()].find((path) => path.startsWith("/console/assets/") && path.endsWith(ending))!;
const page = encodeURIComponent(`${SITE}/`);

// [what, how it is asked, its status, the kind of answer it is]
const ANSWERS: [string, () => Promise<Response>, number, Kind][] = [
  ["the loader", () => fromSite("/loader.js"), 200, { resource: "cross-origin" }],
  ["the widget's entry module", () => fromSite(h.server.deps.assets.widgetEntry!), 200, { resource: "cross-origin" }],
  ["a widget module that is not there", () => fromSite("/widget/missing.js"), 404, { resource: "cross-origin" }],
  ["the verdict", () => fromSite(`/api/v1/widget/acme/verdict?page=${page}`), 200, { resource: "cross-origin" }],
  ["the ticket", () => fromSite(`/api/v1/widget/acme/ticket?page=${page}`), 200, { resource: "cross-origin" }],
  [
    "a verdict for no account",
    () => fromSite(`/api/v1/widget/nobody/verdict?page=${page}`),
    200,
    { resource: "cross-origin" },
  ],
  [
    "the widget API: a message",
    () =>
      asVisitor(`/conversations/${visitor.conversationId}/messages`, {
        method: "POST",
        json: { text: "hi" },
      } as RequestInit),
    201,
    { resource: "cross-origin" },
  ],
  [
    "the widget API refusing a ticket",
    () => anyone("/api/v1/widget/acme/conversations", { method: "POST", headers: { origin: SITE } }),
    401,
    { resource: "cross-origin" },
  ],
  [
    "a CORS preflight of the widget API",
    () =>
      anyone("/api/v1/widget/acme/conversations", {
        method: "OPTIONS",
        headers: { origin: SITE, "access-control-request-method": "POST" },
      }),
    204,
    { resource: "cross-origin" },
  ],
  [
    "the visitor's event stream",
    () => asVisitor(`/conversations/${visitor.conversationId}/events`),
    200,
    { stream: "cross-origin" },
  ],
  ["the console's page", () => anyone("/console/"), 200, { page: true }],
  ["the console's page asked with HEAD", () => anyone("/console/", { method: "HEAD" }), 200, { page: true }],
  ["the console's page by its name", () => anyone("/console/index.html"), 200, { page: true }],
  ["the console's script", () => anyone(consoleFile(".js")), 200, { resource: "same-origin" }],
  ["the console's stylesheet", () => anyone(consoleFile(".css")), 200, { resource: "same-origin" }],
  ["the console's icon", () => anyone("/console/icon.svg"), 200, { resource: "same-origin" }],
  ["the console's manifest", () => anyone("/console/manifest.webmanifest"), 200, { resource: "same-origin" }],
  ["a console file that is not there", () => anyone("/console/missing.js"), 404, { resource: "same-origin" }],
  ["the redirect from /", () => anyone("/"), 302, { resource: "same-origin" }],
  ["the redirect from /console", () => anyone("/console"), 302, { resource: "same-origin" }],
  ["the console API: me", () => asOwner("/api/v1/console/me"), 200, { resource: "same-origin" }],
  ["the console API: policy", () => asOwner("/api/v1/console/policy"), 200, { resource: "same-origin" }],
  ["the console API: networks", () => asOwner("/api/v1/console/networks"), 200, { resource: "same-origin" }],
  ["the console API: audit", () => asOwner("/api/v1/console/audit"), 200, { resource: "same-origin" }],
  ["the console API: rules", () => asOwner("/api/v1/console/rules"), 200, { resource: "same-origin" }],
  ["the console API: rules as CSV", () => asOwner("/api/v1/console/rules.csv"), 200, { resource: "same-origin" }],
  ["the console API: IP rules", () => asOwner("/api/v1/console/ip-rules"), 200, { resource: "same-origin" }],
  [
    "the console API: chats",
    () => asOwner("/api/v1/console/conversations?status=pending"),
    200,
    { resource: "same-origin" },
  ],
  ["the console API: users", () => asOwner("/api/v1/console/users"), 200, { resource: "same-origin" }],
  ["the console API: presence", () => asOwner("/api/v1/console/presence"), 200, { resource: "same-origin" }],
  ["the console's event stream", () => asOwner("/api/v1/console/events"), 200, { stream: "same-origin" }],
  ["the console API signed out", () => anyone("/api/v1/console/me"), 401, { resource: "same-origin" }],
  [
    "the console API refusing another origin",
    () => anyone("/api/v1/console/session", { method: "POST", headers: { origin: SITE } }),
    403,
    { resource: "same-origin" },
  ],
  [
    "a body past its limit",
    () => asOwner("/api/v1/console/preview", { method: "POST", body: "x".repeat(200_000) }),
    413,
    { resource: "same-origin" },
  ],
  ["a NUL in the address", () => anyone("/api/v1/console/rules%00"), 400, { resource: "same-origin" }],
  ["/healthz", () => anyone("/healthz"), 200, { resource: "same-origin" }],
  ["/readyz", () => anyone("/readyz"), 200, { resource: "same-origin" }],
  [
    "/metrics",
    () => anyone("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }),
    200,
    { resource: "same-origin" },
  ],
  ["an unknown path", () => anyone("/nothing-here"), 404, { resource: "same-origin" }],
  ["an unknown method", () => anyone("/healthz", { method: "DELETE" }), 404, { resource: "same-origin" }],
];

describe("security headers", () => {
  it.each(ANSWERS)("%s carries the headers of what it is", async (_what, ask, status, kind) => {
    const response = await ask();
    expect(response.status).toBe(status);
    expectHeadersOf(response, kind);
    await response.body?.cancel();
  });

  it("a file served back keeps its own stricter CSP, and gets the rest", async () => {
    const response = await asOwner(`/api/v1/console/files/${fileId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    await response.body?.cancel();
  });

  it("the loader and widget modules stay loadable from any site", async () => {
    for (const path of ["/loader.js", h.server.deps.assets.widgetEntry!]) {
      const response = await fromSite(path);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
      await response.body?.cancel();
    }
  });

  it("the console's page has no inline script or style its CSP would block", async () => {
    const html = await (await anyone("/console/")).text();
    expect(html).toMatch(/<script[^>]*\bsrc="\/console\/assets\//);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });
});

describe("security headers when the server fails", () => {
  let broken: Harness;
  beforeAll(async () => {
    broken = await startHarness();
    broken.server.deps.log.error = (() => undefined) as typeof broken.server.deps.log.error;
    await broken.server.deps.db.destroy();
  });
  afterAll(() => broken.stop().catch(() => undefined));

  it.each([
    ["a console API route", "/api/v1/console/me", { cookie: "hatch_session=x" }, { resource: "same-origin" }],
    ["the verdict", `/api/v1/widget/acme/verdict?page=${page}`, { origin: SITE }, { resource: "cross-origin" }],
  ] as const)("a 500 from %s carries them", async (_what, path, headers, kind) => {
    const response = await fetch(`${broken.url}${path}`, { headers });
    expect(response.status).toBe(500);
    expectHeadersOf(response, kind);
  });
});
