// What the widget tests share: the visitor API mocked with msw, its event streams answered by a fake
// the test drives by hand, the ticket route of a challenged visitor, the fixture files, and the
// widget's English.

import { createHash } from "node:crypto";
import { createChallenge } from "altcha-lib/v1";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { vi } from "vitest";
import type { ChatMessage, Challenge, Conversation } from "../../widget/api";
import { ENGLISH } from "../../widget/i18n/languages";
import { createTranslator } from "../../widget/i18n/translator";
import { readFixture } from "../fixtures/read";

export const BASE = "https://chat.example";
export const ACCOUNT = "acme";
export const TICKET = "ticket.signature";
export const API = `${BASE}/api/v1/widget/${ACCOUNT}/conversations`;
export const TICKET_URL = `${BASE}/api/v1/widget/${ACCOUNT}/ticket`;
export const VISITOR = "v_0123456789abcdef";
/** The request the widget makes for its ticket, as `requests` lists it. */
export const TICKET_REQUEST = `GET /api/v1/widget/${ACCOUNT}/ticket`;
export const CONVERSATION = "conv_1";
/** The secret the server gives with conversation `conv_1`, 43 base64url characters as a real one. */
export const SECRET = "secret-of-conv_1".padEnd(43, "x");
/** conv_1 as chat-memory.ts keeps it in the page's storage. */
export const REMEMBERED = JSON.stringify({ id: CONVERSATION, secret: SECRET });
export const MB = 1024 * 1024;

/** The English translator, which the chat model is given in the tests that do not test languages. */
export const englishT = createTranslator(ENGLISH);

/** A refusal naming the file, as the widget shows it: the name isolated from the sentence's direction. */
export const named = (file: string, reason: string) => `\u2068${file}\u2069: ${reason}`;

/** An event stream the widget asked for, answered 200; its events and its end are the test's to send. */
export class FakeStream {
  static opened: FakeStream[] = [];
  readonly url: string;
  /** The request's headers: the ticket and the chat's secret. */
  readonly headers: Headers;
  readonly response: Response;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private readonly signal: AbortSignal;

  constructor(request: Request) {
    this.url = request.url;
    this.headers = request.headers;
    this.signal = request.signal;
    const body = new ReadableStream<Uint8Array>({ start: (controller) => void (this.controller = controller) });
    this.response = new Response(body, { headers: { "Content-Type": "text/event-stream" } });
    FakeStream.opened.push(this);
  }

  /** The newest stream the widget opened. */
  static get latest(): FakeStream {
    const latest = FakeStream.opened.at(-1);
    if (!latest) throw new Error("The widget opened no event stream.");
    return latest;
  }

  /** Whether the widget let go of the stream. */
  get closed(): boolean {
    return this.signal.aborted;
  }

  /** Sends an event as the server writes it, and waits until the widget has read it. */
  async emit(type: "message" | "conversation" | "typing" | "unavailable", data: unknown, id?: number) {
    const head = id === undefined ? "" : `id: ${id}\n`;
    this.controller.enqueue(new TextEncoder().encode(`${head}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`));
    await settled();
  }

  /** The server ended the stream (a shutdown, an idle proxy): the widget asks again from the last event. */
  async end() {
    this.controller.close();
    await settled();
  }
}

/** The newest event stream the widget opened, once it has opened one. */
export const openedStream = () => vi.waitFor(() => FakeStream.latest);

/**
 * Lets the reads under way finish: msw hands the body on through promises, with no timers of its own.
 * setImmediate, not setTimeout, which a test may have faked.
 */
const settled = () => new Promise((resolve) => setImmediate(resolve));

/** A message as the server sends it; an agent's carries `agentName`, their display name or null. */
export function message(
  id: number,
  text: string,
  author: ChatMessage["author"] = "agent",
  agentName: string | null = null,
): ChatMessage {
  return { id, author, agentName, agentAvatar: null, text, file: null, createdAt: "2026-01-01T12:00:00.000Z" };
}

/** The conversation as the server sends it: `agentName` while active, `offline` if written while nobody was online. */
export function conversationEvent(
  status: "pending" | "active" | "closed",
  { agentName = null, offline = false }: { agentName?: string | null; offline?: boolean } = {},
): Conversation {
  return { id: CONVERSATION, status, createdAt: "2026-01-01T12:00:00.000Z", agentName, offline };
}

export function apiError(status: number, code: string, text: string) {
  return HttpResponse.json({ error: { code, message: text } }, { status });
}

export const unavailableResponse = () => apiError(403, "unavailable", "The chat is not available.");

/** The answer to a start that opened `conversation`: it comes with its secret, once. */
export const startedResponse = (conversation: Conversation, secret = SECRET) =>
  HttpResponse.json({ conversation, messages: [], secret }, { status: 201 });

/** A challenge as the server makes it (altcha-lib), whose secret is `number`. */
export async function makeChallenge(number: number, maxnumber = 1_000): Promise<Challenge> {
  const challenge = await createChallenge({
    hmacKey: "test key",
    maxnumber,
    number,
    params: { account: ACCOUNT, visitor: VISITOR, ip: "198.51.100.7", until: "1767268800000" },
  });
  return { ...challenge, maxnumber };
}

/** ALTCHA's payload, as the widget sends it in `&solution=`. */
export interface Solution {
  algorithm: string;
  challenge: string;
  number: number;
  salt: string;
  signature: string;
}

/** The payload a ticket request carries, decoded; null if it carries none. */
export function solutionOf(url: string): Solution | null {
  const solution = new URL(url).searchParams.get("solution");
  return solution === null ? null : (JSON.parse(atob(solution)) as Solution);
}

/** Whether SHA-256 of the payload's salt and number is its challenge: the proof of work holds. */
export const proves = (payload: Solution) =>
  createHash("sha256").update(`${payload.salt}${payload.number}`).digest("hex") === payload.challenge;

/**
 * The ticket route for a challenged visitor, as server/verdict/verdict-route.ts answers: 403 `challenge_required`
 * with a new challenge (secret `number`) unless the request proves the last one. The first `refuse`
 * solutions are refused even so, as a replayed or expired one is. `challenges` lists those made.
 */
export function challengedTicket({ number = 700, refuse = 0 }: { number?: number; refuse?: number } = {}) {
  const challenges: Challenge[] = [];
  let refused = 0;
  const handler = http.get(TICKET_URL, async ({ request }) => {
    const payload = solutionOf(request.url);
    const proven = payload !== null && proves(payload) && payload.signature === challenges.at(-1)?.signature;
    if (proven && refused === refuse)
      return HttpResponse.json({ show: true, ticket: TICKET, config: { visitor: VISITOR } });
    if (proven) refused += 1;
    const challenge = await makeChallenge(number);
    challenges.push(challenge);
    const why = payload ? "That proof of work was used already: solve the new challenge." : "Solve this.";
    return HttpResponse.json({ error: { code: "challenge_required", message: why, challenge } }, { status: 403 });
  });
  return { handler, challenges };
}

/** A fixture from test/fixtures/files as a File with the given name. */
export function fixtureFile(fixture: string, name = fixture): File {
  return new File([readFixture(fixture)], name);
}

/**
 * The visitor API as msw handlers: a ticket, and a conversation that starts empty (with its secret),
 * echoes each message and file, takes "typing" signals, and answers its event stream with a FakeStream.
 * `requests` lists every request as "METHOD path" but the event streams' (FakeStream.opened has those),
 * `urls` every request's whole address, `secrets` the X-Chat-Secret each carried (or null), `uploads`
 * the files received; `reset` empties them and numbers the next visitor message 100 again.
 */
export function visitorApi() {
  const requests: string[] = [];
  const urls: string[] = [];
  const secrets: (string | null)[] = [];
  const uploads: { name: string | null; bytes: Uint8Array; auth: string | null }[] = [];
  let nextId = 100;
  const server = setupServer(
    http.get(TICKET_URL, () =>
      HttpResponse.json({
        show: true,
        ticket: TICKET,
        config: { visitor: VISITOR, files: { categories: ["image"], maxBytes: 10 * MB } },
      }),
    ),
    http.post(API, () => startedResponse(conversationEvent("pending"))),
    http.post(`${API}/:id/messages`, async ({ request }) => {
      const { text } = (await request.json()) as { text: string };
      return HttpResponse.json(message(nextId++, text, "visitor"), { status: 201 });
    }),
    http.post(`${API}/:id/files`, async ({ request }) => {
      const name = request.headers.get("x-file-name");
      const bytes = new Uint8Array(await request.arrayBuffer());
      uploads.push({ name, bytes, auth: request.headers.get("authorization") });
      const file = { name: decodeURIComponent(name ?? ""), size: bytes.length, kind: "png", category: "image" };
      return HttpResponse.json({ ...message(nextId++, "", "visitor"), file }, { status: 201 });
    }),
    http.post(`${API}/:id/typing`, () => new HttpResponse(null, { status: 204 })),
    http.get(`${API}/:id/events`, ({ request }) => new FakeStream(request).response),
  );
  server.events.on("request:start", ({ request }) => {
    const path = new URL(request.url).pathname;
    if (!path.endsWith("/events")) requests.push(`${request.method} ${path}`);
    urls.push(request.url);
    secrets.push(request.headers.get("x-chat-secret"));
  });
  const reset = () => {
    requests.length = 0;
    urls.length = 0;
    secrets.length = 0;
    uploads.length = 0;
    nextId = 100;
    FakeStream.opened = [];
  };
  return { server, requests, urls, secrets, uploads, reset };
}
