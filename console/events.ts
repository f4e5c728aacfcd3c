// The console's live feed over Server-Sent Events; EventSource reconnects by itself with Last-Event-ID.

/** One event from `GET /api/v1/console/events`: `conversation`, `message` or `policy`. */
export interface ConsoleEvent {
  type: string;
  data: unknown;
}

export type EventSourceFactory = (url: string) => Pick<EventSource, "addEventListener" | "close">;

const TYPES = ["conversation", "message", "policy"] as const;

/** Opens the feed and calls `onEvent` for each event; returns the function that closes it. */
export function connectEvents(url: string, onEvent: (event: ConsoleEvent) => void, open: EventSourceFactory): () => void {
  const source = open(url);
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
