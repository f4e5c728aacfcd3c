// The widget's transport: the visitor routes of server/routes/widget.ts, called with the ticket.
// Answers are the server's visitor-safe JSON; refusals become a RefusedRequest with the contract's code and
// message. Its code is what the widget words in the visitor's language (refusal-text.ts); the message is
// the server's English, for debugging.
// The ticket is asked for on first use, not carried by the verdict: most page views never chat, and
// signing a ticket for each of them was half of the verdict's cost (see server/verdict.ts). A
// challenged visitor gets it for a proof of work (server/challenges.ts), solved by the `prove` given.

import type { Boot } from "./boot";

export type ConversationStatus = "pending" | "active" | "closed";

/** The visitor's view of their conversation. */
export interface Conversation {
  id: string;
  status: ConversationStatus;
  createdAt: string;
  /** The display name of the agent who joined, while the chat is active; null when they set none. */
  agentName: string | null;
  /** Written while no agent was online: it waits in the console as an offline message. */
  offline: boolean;
}

interface ChatFile {
  name: string;
  size: number;
  kind: string;
  category: string;
}

export interface ChatMessage {
  id: number;
  author: "visitor" | "agent" | "system";
  /** An agent's message: the display name they chose (never their email), or null when they set none. */
  agentName: string | null;
  text: string;
  file: ChatFile | null;
  createdAt: string;
}

/** ALTCHA's challenge, as the ticket route's 403 `challenge_required` carries it. */
export interface Challenge {
  algorithm: string;
  /** The hex SHA-256 of `salt` followed by the secret number. */
  challenge: string;
  /** The secret number is at most this. */
  maxnumber: number;
  salt: string;
  signature: string;
}

/**
 * A refused request: the HTTP status, the body's `{"error":{"code","message"}}`, its challenge if any,
 * and the seconds its Retry-After asks to wait (a 429's), if any.
 */
export class RefusedRequest extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly challenge: Challenge | null = null,
    readonly retryAfterS: number | null = null,
  ) {
    super(message);
  }
}

/** The code of the refusal `prove` rejects with when the visitor cancels: nothing to tell them. */
export const CHALLENGE_CANCELLED = "challenge_cancelled";

/** Solves a challenge into the `solution` the ticket route takes; rejects to give up. */
export type Prove = (challenge: Challenge) => Promise<string>;

export interface ChatApi {
  /**
   * Gets this page's ticket, once; every call below does so itself, except `events`, which needs
   * it first. Rejects with 403 `unavailable` when the chat is hidden from this visitor by now.
   */
  authorize(): Promise<void>;
  /** Starts the visitor's conversation, or resumes the one still open, with its messages so far. */
  start(): Promise<{ conversation: Conversation; messages: ChatMessage[] }>;
  send(conversationId: string, text: string): Promise<ChatMessage>;
  /** Sends the file as the raw body; the server judges its bytes again and answers 413 or 415. */
  upload(conversationId: string, file: File): Promise<ChatMessage>;
  /** Tells the agent that the visitor is typing; the server passes on one such signal every 3 s at most. */
  typing(conversationId: string): Promise<void>;
  /** The live stream of the conversation's events after event id `after`; call `authorize` first. */
  events(conversationId: string, after: number): EventSource;
  /**
   * Asks the event stream's address with fetch, only to learn why an EventSource gave up (it never
   * tells): rejects with the RefusedRequest (401, 403…), resolves once the stream would have opened. An
   * expired ticket is renewed on the way, as on every call; then `events` uses the new one.
   */
  probe(conversationId: string, after: number): Promise<void>;
}

const UNAVAILABLE = "The chat is not available.";
/** Solutions sent for one ticket at most: a refused one (expired, used already) comes back with a new challenge. */
const MAX_SOLUTIONS = 3;

/**
 * The API client for one page load: the visitor id the verdict gave, and the ticket once asked for.
 * `page` is the address the ticket is asked for: the page's own, now (a single-page app moves);
 * `prove` solves a proof-of-work challenge, without which a challenge is a refusal like any other.
 * @example const api = createApi(boot, { prove: gate.prove }); const { conversation } = await api.start();
 */
export function createApi(
  boot: Pick<Boot, "base" | "account" | "config">,
  { page = () => location.href, prove }: { page?: () => string; prove?: Prove } = {},
): ChatApi {
  const api = `${boot.base}/api/v1/widget/${encodeURIComponent(boot.account)}`;
  const root = `${api}/conversations`;
  const conversation = (id: string) => `${root}/${encodeURIComponent(id)}`;
  let ticket: string | null = null;
  let asking: Promise<string> | null = null;

  function authorize(): Promise<string> {
    if (ticket !== null) return Promise.resolve(ticket);
    asking ??= askTicket().finally(() => (asking = null));
    return asking;
  }

  /** The ticket route, sending the solution of the last challenge; a new challenge is solved and sent. */
  async function askTicket(solution: string | null = null, sent = 0): Promise<string> {
    let url = `${api}/ticket?page=${encodeURIComponent(page())}&visitor=${encodeURIComponent(boot.config.visitor)}`;
    if (solution !== null) url += `&solution=${encodeURIComponent(solution)}`;
    const response = await fetch(url, { credentials: "omit" });
    if (!response.ok) {
      const error = await errorOf(response);
      if (error.challenge === null || prove === undefined) throw error;
      if (sent === MAX_SOLUTIONS)
        throw new RefusedRequest(403, "challenge_failed", `${MAX_SOLUTIONS} solutions were refused.`);
      return askTicket(await prove(error.challenge), sent + 1);
    }
    const answer = (await response.json()) as { show: boolean; ticket?: string };
    // Hidden since the page loaded (a block, a new rule): the same as any refused request.
    if (!answer.show || !answer.ticket) throw new RefusedRequest(403, "unavailable", UNAVAILABLE);
    return (ticket = answer.ticket);
  }

  // A ticket lives two hours and a chat may outlast it: an expired one is renewed once. The ticket
  // route decides the verdict again, so a visitor blocked meanwhile is refused there.
  function renew(): Promise<string> {
    ticket = null;
    return authorize();
  }

  const eventsUrl = (id: string, after: number, signed: string) =>
    `${conversation(id)}/events?ticket=${encodeURIComponent(signed)}&after=${after}`;

  const post = (url: string, init: RequestInit, signed: string) =>
    fetch(url, {
      ...init,
      method: "POST",
      credentials: "omit",
      headers: { ...init.headers, Authorization: `Bearer ${signed}` },
    });

  async function call(url: string, init: RequestInit): Promise<Response> {
    let response = await post(url, init, await authorize());
    if (response.status === 401) response = await post(url, init, await renew());
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  const json = async <T>(url: string, init: RequestInit): Promise<T> => (await (await call(url, init)).json()) as T;

  /** Asks the stream's address and lets go as soon as it would open. */
  async function knock(url: string): Promise<Response> {
    const abort = new AbortController();
    const response = await fetch(url, { credentials: "omit", signal: abort.signal });
    if (response.ok) abort.abort();
    return response;
  }

  return {
    authorize: async () => {
      await authorize();
    },
    start: () => json(root, {}),
    send: (id, text) =>
      json(`${conversation(id)}/messages`, {
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text }),
      }),
    upload: (id, file) =>
      json(`${conversation(id)}/files`, {
        headers: { "Content-Type": "application/octet-stream", "X-File-Name": encodeURIComponent(file.name) },
        body: file,
      }),
    typing: async (id) => {
      await call(`${conversation(id)}/typing`, {});
    },
    events(id, after) {
      if (ticket === null) throw new Error("The event stream needs the ticket: call authorize() first.");
      return new EventSource(eventsUrl(id, after, ticket));
    },
    async probe(id, after) {
      let response = await knock(eventsUrl(id, after, await authorize()));
      if (response.status === 401) response = await knock(eventsUrl(id, after, await renew()));
      if (!response.ok) throw await errorOf(response);
    },
  };
}

async function errorOf(response: Response): Promise<RefusedRequest> {
  const unreadable = `HTTP ${response.status} with no readable error.`;
  // Retry-After in seconds, as the server sends it (CORS exposes it); its date form is not used there.
  const retryAfter = response.headers.get("retry-after");
  const retryAfterS = retryAfter !== null && /^\d{1,9}$/.test(retryAfter) ? Number(retryAfter) : null;
  try {
    const { error } = (await response.json()) as {
      error: { code?: string; message?: string; challenge?: Challenge };
    };
    const challenge = error.code === "challenge_required" ? (error.challenge ?? null) : null;
    return new RefusedRequest(
      response.status,
      error.code ?? "http_error",
      error.message ?? unreadable,
      challenge,
      retryAfterS,
    );
  } catch {
    return new RefusedRequest(response.status, "http_error", unreadable);
  }
}
