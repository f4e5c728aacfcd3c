// What the server knows of a URL outside Hono's router, in one table: the paths answered ahead of
// Hono, the event streams, the essentials answered when busy, and what host pages on other origins
// read. Hono's routes (app.ts and routes/) are the rest; a path renamed there is renamed here too.

export const PATHS = {
  /** `GET /api/v1/widget/:account/verdict` and `…/ticket`, answered ahead of Hono (verdict/verdict-route.ts): account, kind. */
  verdict: /^\/api\/v1\/widget\/([^/?]+)\/(verdict|ticket)(?:\?|$)/,
  /** The console's and the visitors' event streams (`…/events`), on a URL with or without its query. */
  eventStream: /\/events(?:\?|$)/,
  /** Answered however many connections are open: a load balancer's probes, the metrics, the console. */
  essential: /^\/(?:healthz|readyz|metrics|console|api\/v1\/console)(?:[/?]|$)/,
  /** Read by host pages on other origins (the loader, the widget's modules, the widget API), on a path. */
  public: /^\/(?:loader\.js$|widget\/|api\/v1\/widget\/)/,
} as const;
