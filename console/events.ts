// The console's live feed over Server-Sent Events (EventSource reconnects by itself with Last-Event-ID),
// and the hub that hands each event to whichever models and pages listen.

/**
 * One event from `GET /api/v1/console/events`: `conversation`, `message`, `policy`, `protection` (an
 * automatic ban) or `typing` (a visitor is typing; data is a TypingNotice).
 */
export interface ConsoleEvent {
  type: string;
  data: unknown;
}

export type EventSourceFactory = (url: string) => Pick<EventSource, "addEventListener" | "close">;

/** Registers a listener; returns the unsubscribe. */
export type Listen = (handler: (event: ConsoleEvent) => void) => () => void;

const TYPES = ["conversation", "message", "held", "erased", "policy", "protection", "typing"] as const;
/**
 * Events whose data is the payload itself, not `{type, data}`: typing is never stored, so the server
 * writes it apart from the log's events (server/realtime/event-stream.ts).
 */
const BARE: ReadonlySet<string> = new Set(["typing"]);

/**
 * One feed, many listeners: `emit` is what connectEvents calls, `listen` what models and pages use.
 * @example const hub = createEventHub(); const unlisten = hub.listen(chats.handleEvent); hub.emit(event);
 */
export function createEventHub(): { emit(event: ConsoleEvent): void; listen: Listen } {
  const handlers = new Set<(event: ConsoleEvent) => void>();
  return {
    emit: (event) => handlers.forEach((handler) => handler(event)),
    listen: (handler) => {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
  };
}

/**
 * Opens the feed and calls `onEvent` for each event; returns the function that closes it.
 * `onTrouble` hears each connection error: EventSource cannot tell an expired session from a
 * dropped network, so the caller checks (a 401 there signs the console out). `onOpen` hears each
 * (re)connection: an open feed is what makes the user present.
 */
export function connectEvents(
  url: string,
  onEvent: (event: ConsoleEvent) => void,
  open: EventSourceFactory,
  { onTrouble, onOpen }: { onTrouble?: () => void; onOpen?: () => void } = {},
): () => void {
  const source = open(url);
  if (onTrouble) source.addEventListener("error", onTrouble);
  if (onOpen) source.addEventListener("open", onOpen);
  for (const type of TYPES) {
    source.addEventListener(type, (event) => {
      try {
        const data: unknown = JSON.parse((event as MessageEvent<string>).data);
        onEvent(BARE.has(type) ? { type, data } : (data as ConsoleEvent));
      } catch {
        // A malformed event is dropped; the next list load corrects any gap.
      }
    });
  }
  return () => source.close();
}
