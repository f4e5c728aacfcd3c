// The widget's transport: the visitor routes of server/routes/widget.ts, called with the ticket.
// Answers are the server's visitor-safe JSON; errors become an ApiError with the contract's code and message.

import type { Boot } from "./main";

export type ConversationStatus = "pending" | "active" | "closed";

export interface Conversation {
  id: string;
  status: ConversationStatus;
  createdAt: string;
}

export interface ChatFile {
  name: string;
  size: number;
  kind: string;
  category: string;
}

export interface ChatMessage {
  id: number;
  author: "visitor" | "agent" | "system";
  text: string;
  file: ChatFile | null;
  createdAt: string;
}

/** A refused request: the HTTP status and the body's `{"error":{"code","message"}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ChatApi {
  /** Starts the visitor's conversation, or resumes the one still open, with its messages so far. */
  start(): Promise<{ conversation: Conversation; messages: ChatMessage[] }>;
  send(conversationId: string, text: string): Promise<ChatMessage>;
  /** Sends the file as the raw body; the server judges its bytes again and answers 413 or 415. */
  upload(conversationId: string, file: File): Promise<ChatMessage>;
  /** The live stream of the conversation's events after event id `after`. */
  events(conversationId: string, after: number): EventSource;
  /**
   * Asks the event stream's address with fetch, only to learn why an EventSource gave up (it never
   * tells): rejects with the ApiError (401, 403…), resolves once the stream would have opened.
   */
  probe(conversationId: string, after: number): Promise<void>;
}

/** What the visitor reads when the server could not be reached or answered nothing readable. */
export const GENERIC_MESSAGE = "Something went wrong: check your connection and try again.";

/**
 * The API client for one page load's ticket.
 * @example const api = createApi(boot); const { conversation } = await api.start();
 */
export function createApi(boot: Pick<Boot, "base" | "account" | "ticket">): ChatApi {
  const root = `${boot.base}/api/v1/widget/${encodeURIComponent(boot.account)}/conversations`;
  const conversation = (id: string) => `${root}/${encodeURIComponent(id)}`;
  const eventsUrl = (id: string, after: number) =>
    `${conversation(id)}/events?ticket=${encodeURIComponent(boot.ticket)}&after=${after}`;

  async function call<T>(url: string, init: RequestInit): Promise<T> {
    const response = await fetch(url, {
      ...init,
      method: "POST",
      credentials: "omit",
      headers: { ...init.headers, Authorization: `Bearer ${boot.ticket}` },
    });
    if (!response.ok) throw await errorOf(response);
    return (await response.json()) as T;
  }

  return {
    start: () => call(root, {}),
    send: (id, text) =>
      call(`${conversation(id)}/messages`, { headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text }) }),
    upload: (id, file) =>
      call(`${conversation(id)}/files`, {
        headers: { "Content-Type": "application/octet-stream", "X-File-Name": encodeURIComponent(file.name) },
        body: file,
      }),
    events: (id, after) => new EventSource(eventsUrl(id, after)),
    async probe(id, after) {
      const abort = new AbortController();
      const response = await fetch(eventsUrl(id, after), { credentials: "omit", signal: abort.signal });
      if (!response.ok) throw await errorOf(response);
      abort.abort();
    },
  };
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const { error } = (await response.json()) as { error: { code?: string; message?: string } };
    return new ApiError(response.status, error.code ?? "http_error", error.message ?? GENERIC_MESSAGE);
  } catch {
    return new ApiError(response.status, "http_error", GENERIC_MESSAGE);
  }
}
