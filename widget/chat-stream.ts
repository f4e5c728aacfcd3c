// The visitor's conversation as a live event stream, kept open: read with fetch rather than EventSource,
// so that the ticket and the chat's secret go as headers, never in the URL, and a refusal's status is
// read from the answer. A stream that ends or drops is asked for again from the last event seen.

import { RefusedRequest, type ChatApi, type ChatKey, type ChatMessage, type Conversation } from "./api";

/** What the stream tells the chat, and asks of it. */
export interface ChatStreamEvents {
  message(message: ChatMessage): void;
  /** The conversation changed: its status, the agent who joined. */
  conversation(conversation: Conversation): void;
  /** The agent is typing: sent every 3 s at most while they type, never replayed. */
  typing(name: string | null): void;
  /** The server says this visitor may not see the chat any more: an `unavailable` event. */
  unavailable(): void;
  /** Asking was refused (401, 403): the session is over, and the chat says how. */
  refused(error: RefusedRequest): void;
  /** The server does not know the conversation (any more), or not as this browser's: a 404. */
  unknown(): void;
  /** Whether conversation `id` is still the one to follow: not ended, not expired, not replaced. */
  follows(id: string): boolean;
}

export interface ChatStream {
  /**
   * Listens to `chat` from the last event seen, unless a stream is open or the chat is not followed:
   * a refusal is reported, anything else (offline, busy, a stream the server ended) asked for again.
   */
  listen(chat: ChatKey): void;
  /** Closes the stream and cancels a pending retry. */
  stop(): void;
  /** Stops, and forgets the last event seen: the next conversation is read from its start. */
  reset(): void;
}

const defaultDelayMs = (attempt: number) => Math.min(30_000, 1000 * 2 ** attempt);

const refuses = (error: unknown): error is RefusedRequest =>
  error instanceof RefusedRequest && (error.status === 401 || error.status === 403);

/**
 * The event stream of the conversation `events.follows`, with the wait before asking again after it
 * ended or failed (`delayMs`, attempts counting from 0, and from 0 again once a stream opens).
 * @example const stream = createChatStream(api, { message: add, … }); stream.listen({ id, secret });
 */
export function createChatStream(api: ChatApi, events: ChatStreamEvents, delayMs = defaultDelayMs): ChatStream {
  let lastEventId = 0;
  let open: AbortController | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let attempts = 0;

  function dispatch(type: string, data: string, id: string) {
    lastEventId = Math.max(lastEventId, Number(id) || 0);
    if (type === "message") events.message(JSON.parse(data) as ChatMessage);
    else if (type === "conversation") events.conversation(JSON.parse(data) as Conversation);
    else if (type === "typing") events.typing((JSON.parse(data) as { name: string | null }).name);
    else if (type === "unavailable") events.unavailable();
  }

  function listen(chat: ChatKey) {
    if (!events.follows(chat.id) || open) return;
    const reading = new AbortController();
    open = reading;
    api
      .events(chat, lastEventId, reading.signal)
      .then((body) => {
        attempts = 0;
        return readEvents(body, dispatch);
      })
      .then(
        () => again(chat, reading),
        (error: unknown) => {
          if (reading.signal.aborted) return;
          if (refuses(error) || (error instanceof RefusedRequest && error.status === 404)) {
            open = null;
            if (refuses(error)) events.refused(error);
            else events.unknown();
          } else again(chat, reading);
        },
      );
  }

  /** The stream `reading` ended or failed on the way: asks again after a wait, unless it was stopped or replaced. */
  function again(chat: ChatKey, reading: AbortController) {
    if (open !== reading) return;
    open = null;
    if (events.follows(chat.id)) retry = setTimeout(() => listen(chat), delayMs(attempts++));
  }

  function stop() {
    open?.abort();
    open = null;
    clearTimeout(retry);
  }

  return {
    listen,
    stop,
    reset() {
      stop();
      lastEventId = 0;
    },
  };
}

/**
 * Reads Server-Sent Events (the WHATWG format the server writes: `event:`, `id:`, `data:` lines, a blank
 * line after each event, `:` comments) from `body` until it ends, handing on each event's type, data and id.
 */
async function readEvents(body: ReadableStream<Uint8Array>, handle: (type: string, data: string, id: string) => void) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let fields: Record<string, string> = {};
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) return;
    buffer += decoder.decode(chunk.value, { stream: true });
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    for (const line of lines) {
      if (line === "") {
        if (fields.data !== undefined) handle(fields.event ?? "message", fields.data, fields.id ?? "");
        fields = {};
        continue;
      }
      const colon = line.indexOf(":");
      // A comment (a keep-alive), or a field without a value, which the server never writes.
      if (colon <= 0) continue;
      const name = line.slice(0, colon);
      const value = line.slice(colon + 1).replace(/^ /, "");
      fields[name] = name === "data" && fields.data !== undefined ? `${fields.data}\n${value}` : value;
    }
  }
}
