// The visitor's conversation as a live event stream, kept open: the browser reconnects a dropped stream
// itself (sending Last-Event-ID); when it gives up, which it never explains, the address is asked again to learn why.

import { RefusedRequest, type ChatApi, type ChatMessage, type Conversation } from "./api";

/** What the stream tells the chat, and asks of it. */
export interface ChatStreamEvents {
  message(message: ChatMessage): void;
  /** The conversation changed: its status, the agent who joined. */
  conversation(conversation: Conversation): void;
  /** The agent is typing: sent every 3 s at most while they type, never replayed. */
  typing(name: string | null): void;
  /** The server says this visitor may not see the chat any more: an `unavailable` event. */
  unavailable(): void;
  /** Asking again was refused (401, 403): the session is over, and the chat says how. */
  refused(error: RefusedRequest): void;
  /** The server does not know the conversation (any more): a 404. */
  unknown(): void;
  /** Whether conversation `id` is still the one to follow: not ended, not expired, not replaced. */
  follows(id: string): boolean;
}

export interface ChatStream {
  /** Gets the ticket, then listens to a remembered conversation; a refusal is reported, anything else retried. */
  resume(id: string): void;
  /** Listens to conversation `id` from the last event seen, unless a stream is open or `id` is not followed. */
  listen(id: string): void;
  /** Closes the stream and cancels a pending retry. */
  stop(): void;
  /** Stops, and forgets the last event seen: the next conversation is read from its start. */
  reset(): void;
}

// EventSource.CLOSED: the browser gave up (an HTTP error) and will not reconnect by itself.
const CLOSED = 2;
const defaultDelayMs = (attempt: number) => Math.min(30_000, 1000 * 2 ** attempt);

const refuses = (error: unknown): error is RefusedRequest =>
  error instanceof RefusedRequest && (error.status === 401 || error.status === 403);

/**
 * The event stream of the conversation `events.follows`, with the wait before asking again after the
 * browser gave up (`delayMs`, attempts counting from 0).
 * @example const stream = createChatStream(api, { message: add, … }); stream.listen(conversationId);
 */
export function createChatStream(api: ChatApi, events: ChatStreamEvents, delayMs = defaultDelayMs): ChatStream {
  let lastEventId = 0;
  let stream: EventSource | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let attempts = 0;

  function listen(id: string) {
    if (!events.follows(id) || stream) return;
    const source = api.events(id, lastEventId);
    stream = source;
    const on = (name: string, handle: (data: string) => void) =>
      source.addEventListener(name, (event) => {
        const { data, lastEventId: eventId } = event as MessageEvent<string>;
        lastEventId = Math.max(lastEventId, Number(eventId) || 0);
        handle(data);
      });
    source.addEventListener("open", () => (attempts = 0));
    on("message", (data) => events.message(JSON.parse(data) as ChatMessage));
    on("conversation", (data) => events.conversation(JSON.parse(data) as Conversation));
    on("typing", (data) => events.typing((JSON.parse(data) as { name: string | null }).name));
    on("unavailable", () => events.unavailable());
    source.addEventListener("error", () => {
      if (source.readyState === CLOSED && stream === source) recover(id);
    });
  }

  // An EventSource that gave up does not say why: ask the same address to learn it, then listen again.
  function recover(id: string) {
    stream = null;
    retry = setTimeout(async () => {
      try {
        await api.probe(id, lastEventId);
        listen(id);
      } catch (error) {
        if (refuses(error)) events.refused(error);
        else if (error instanceof RefusedRequest && error.status === 404) events.unknown();
        else if (events.follows(id)) recover(id);
      }
    }, delayMs(attempts++));
  }

  function stop() {
    stream?.close();
    stream = null;
    clearTimeout(retry);
  }

  return {
    resume(id) {
      api.authorize().then(
        () => listen(id),
        (error: unknown) => {
          // A refusal ends the session; anything else (offline, busy) is retried like a dropped stream.
          if (refuses(error)) events.refused(error);
          else if (events.follows(id)) recover(id);
        },
      );
    },
    listen,
    stop,
    reset() {
      stop();
      lastEventId = 0;
    },
  };
}
