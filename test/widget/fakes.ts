// What the widget tests share: a fake EventSource the test drives by hand (happy-dom has none, and a
// real reconnect is the browser's job), the visitor API mocked with msw, the ticket route of a
// challenged visitor, the fixture files, and the widget's English.

import { createHash } from "node:crypto";
import { createChallenge } from "altcha-lib/v1";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
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
export const MB = 1024 * 1024;

/** The English translator, which the chat model is given in the tests that do not test languages. */
export const englishT = createTranslator(ENGLISH);

/** A refusal naming the file, as the widget shows it: the name isolated from the sentence's direction. */
export const named = (file: string, reason: string) => `\u2068${file}\u2069: ${reason}`;

/** An EventSource whose events, drops and failures the test sends. */
export class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;

  constructor(readonly url: string) {
    super();
    FakeEventSource.opened.push(this);
  }

  /** The newest stream the widget opened. */
  static get latest(): FakeEventSource {
    const latest = FakeEventSource.opened.at(-1);
    if (!latest) throw new Error("The widget opened no event stream.");
    return latest;
  }

  open() {
    this.readyState = FakeEventSource.OPEN;
    this.dispatchEvent(new Event("open"));
  }

  emit(type: "message" | "conversation" | "typing" | "unavailable", data: unknown, id?: number) {
    this.dispatchEvent(
      new MessageEvent(type, { data: JSON.stringify(data), lastEventId: id === undefined ? "" : String(id) }),
    );
  }

  /** The connection dropped: the browser reconnects by itself, sending Last-Event-ID. */
  drop() {
    this.readyState = FakeEventSource.CONNECTING;
    this.dispatchEvent(new Event("error"));
  }

  /** The server answered with an error status: the browser gives up for good. */
  fail() {
    this.readyState = FakeEventSource.CLOSED;
    this.dispatchEvent(new Event("error"));
  }

  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
}

/** A message as the server sends it; an agent's carries `agentName`, their display name or null. */
export function message(
  id: number,
  text: string,
  author: ChatMessage["author"] = "agent",
  agentName: string | null = null,
): ChatMessage {
  return { id, author, agentName, text, file: null, createdAt: "2026-01-01T12:00:00.000Z" };
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
 * The ticket route for a challenged visitor, as server/verdict.ts answers: 403 `challenge_required`
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
 * The visitor API as msw handlers: a ticket, and a conversation that starts empty, echoes each
 * message and file, and takes "typing" signals. `requests` lists every request as "METHOD path", `urls` their whole addresses,
 * `uploads` the files received; `reset` empties them and numbers the next visitor message 100 again.
 */
export function visitorApi() {
  const requests: string[] = [];
  const urls: string[] = [];
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
    http.post(API, () =>
      HttpResponse.json({ conversation: conversationEvent("pending"), messages: [] }, { status: 201 }),
    ),
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
    http.get(
      `${API}/:id/events`,
      () => new HttpResponse(new ReadableStream(), { headers: { "Content-Type": "text/event-stream" } }),
    ),
  );
  server.events.on("request:start", ({ request }) => {
    requests.push(`${request.method} ${new URL(request.url).pathname}`);
    urls.push(request.url);
  });
  const reset = () => {
    requests.length = 0;
    urls.length = 0;
    uploads.length = 0;
    nextId = 100;
  };
  return { server, requests, urls, uploads, reset };
}
