// The console's live feed over Server-Sent Events; EventSource reconnects by itself with Last-Event-ID.

/** One event from `GET /api/v1/console/events`: `conversation`, `message` or `policy`. */
export interface ConsoleEvent {
  type: string;
  data: unknown;
}

export type EventSourceFactory = (url: string) => Pick<EventSource, "addEventListener" | "close">;

const TYPES = ["conversation", "message", "policy"] as const;

/**
 * Opens the feed and calls `onEvent` for each event; returns the function that closes it.
 * `onTrouble` hears each connection error: EventSource cannot tell an expired session from a
 * dropped network, so the caller checks (a 401 there signs the console out).
 */
export function connectEvents(url: string, onEvent: (event: ConsoleEvent) => void, open: EventSourceFactory, onTrouble: () => void = () => {}): () => void {
  const source = open(url);
  source.addEventListener("error", onTrouble);
  for (const type of TYPES) {
    source.addEventListener(type, (event) => {
      try {
        onEvent(JSON.parse((event as MessageEvent<string>).data) as ConsoleEvent);
      } catch {
        // A malformed event is dropped; the next list load corrects any gap.
      }
    });
  }
  return () => source.close();
}
