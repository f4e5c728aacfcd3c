// The widget's transport: the visitor routes of server/routes/widget.ts, called with the ticket, and
// on a chat with the chat's secret: both as headers, the event stream's too (read with fetch, since
// EventSource sends none), so no URL the widget asks for carries either.
// Answers are the server's visitor-safe JSON; refusals become a RefusedRequest with the contract's code and
// message. Its code is what the widget words in the visitor's language (refusal-text.ts); the message is
// the server's English, for debugging.
// The ticket is asked for on first use, not carried by the verdict: most page views never chat, and
// signing a ticket for each of them was half of the verdict's cost (see server/verdict/verdict-route.ts). A
// challenged visitor gets it for a proof of work (server/protection/challenges.ts), solved by the `prove` given.

import type { IntakeInput } from "../policy/prechat";
import type { Boot } from "./boot";

export type ConversationStatus = "pending" | "active" | "closed";

/**
 * A chat this browser may use: its id, and the secret the server gave when it opened it, which proves
 * the chat is this browser's (the visitor id, which travels in URLs, does not).
 */
export interface ChatKey {
  id: string;
  secret: string;
}

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

/** A file in the chat; its id names it for download(). */
export interface ChatFile {
  id: string;
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
  /** An agent's message: the file id of the avatar they show, or null for none. */
  agentAvatar: string | null;
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

/** What a start answers: the chat and its messages so far; `secret` when the chat is new (said this once). */
interface Started {
  conversation: Conversation;
  messages: ChatMessage[];
  secret?: string;
}

/**
 * The visitor routes. Each gets this page's ticket on first use (rejecting with 403 `unavailable` when
 * the chat is hidden from this visitor by now) and renews an expired one once.
 */
export interface ChatApi {
  /**
   * Resumes `chat` while it is open, with its messages so far, or else starts a new chat. Rejects with
   * 409 `chat_open` when this visitor has a chat open that `chat` is not (another tab has just started it).
   * `intake` is what the visitor answered before the chat, for a new one (the server checks it again).
   */
  start(chat: ChatKey | null, intake?: IntakeInput): Promise<Started>;
  send(chat: ChatKey, text: string): Promise<ChatMessage>;
  /** Sends the file as the raw body; the server judges its bytes again and answers 413 or 415. */
  upload(chat: ChatKey, file: File): Promise<ChatMessage>;
  /** Tells the agent that the visitor is typing; the server passes on one such signal every 3 s at most. */
  typing(chat: ChatKey): Promise<void>;
  /** The bytes of a file of this chat (an agent's, to save); a file of another chat is a 404 `not_found`. */
  download(chat: ChatKey, fileId: string): Promise<Blob>;
  /**
   * Opens the chat's event stream after event id `after`: its body, once the server has accepted it;
   * a refusal rejects with its RefusedRequest (401 after a renewal, 403, 404…). `signal` closes it.
   */
  events(chat: ChatKey, after: number, signal: AbortSignal): Promise<ReadableStream<Uint8Array>>;
}

const UNAVAILABLE = "The chat is not available.";
/** Solutions sent for one ticket at most: a refused one (expired, used already) comes back with a new challenge. */
const MAX_SOLUTIONS = 3;

/**
 * The API client for one page load: the visitor id the verdict gave, and the ticket once asked for.
 * `page` is the address the ticket is asked for: the page's own, now (a single-page app moves);
 * `prove` solves a proof-of-work challenge, without which a challenge is a refusal like any other.
 * @example const api = createApi(boot, { prove: gate.prove }); const { conversation, secret } = await api.start(null);
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

  const ask = (url: string, init: RequestInit, chat: ChatKey | null, signed: string) =>
    fetch(url, {
      method: "POST",
      ...init,
      credentials: "omit",
      headers: { ...init.headers, Authorization: `Bearer ${signed}`, ...(chat && { "X-Chat-Secret": chat.secret }) },
    });

  async function call(url: string, init: RequestInit, chat: ChatKey | null): Promise<Response> {
    let response = await ask(url, init, chat, await authorize());
    if (response.status === 401) response = await ask(url, init, chat, await renew());
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  const json = async <T>(url: string, init: RequestInit, chat: ChatKey | null): Promise<T> =>
    (await (await call(url, init, chat)).json()) as T;

  return {
    start: (chat, intake) =>
      json(root, intake ? { headers: { "Content-Type": "application/json" }, body: JSON.stringify(intake) } : {}, chat),
    send: (chat, text) =>
      json(
        `${conversation(chat.id)}/messages`,
        { headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text }) },
        chat,
      ),
    upload: (chat, file) =>
      json(
        `${conversation(chat.id)}/files`,
        {
          headers: { "Content-Type": "application/octet-stream", "X-File-Name": encodeURIComponent(file.name) },
          body: file,
        },
        chat,
      ),
    typing: async (chat) => {
      await call(`${conversation(chat.id)}/typing`, {}, chat);
    },
    download: async (chat, fileId) =>
      (await call(`${conversation(chat.id)}/files/${encodeURIComponent(fileId)}`, { method: "GET" }, chat)).blob(),
    async events(chat, after, signal) {
      const response = await call(`${conversation(chat.id)}/events?after=${after}`, { method: "GET", signal }, chat);
      return response.body!;
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
