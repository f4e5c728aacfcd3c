// The Hono app: security headers, the contract's error shape, and one sub-app per resource.
// The verdict and the ticket are not here: server.ts answers them ahead of Hono (server/verdict/verdict-route.ts says why).
//
// Hono's own middleware, weighed one by one against what Hatch needs (#24):
// - secureHeaders: one fixed set; Hatch's answers need a set per kind of answer, and the verdict and
//   the event streams, answered past Hono, need the same table (http/security-headers.ts).
// - csrf: checks only form-like content types (urlencoded, multipart, text/plain) against the request
//   URL's own origin, and answers a bare 403; Hatch refuses every state change whose Origin is not
//   PUBLIC_URL's (behind a proxy the request URL is not the public one), in the contract's error shape
//   (auth/console-auth.ts sameOrigin).
// - cors: its async origin callback could ask the account's policy, but the verdict, answered ahead of
//   Hono on every page view, needs the same headers for the same origin, frozen and remembered per
//   compiled policy; http/cors.ts is that one definition, and the widget routes apply it too.
// - bodyLimit: counts bytes; Hatch's reader (http/request-body.ts) also holds a body to a deadline
//   (408 `too_slow`), parses it with the route's schema, and says each route's limit in its words.
// - requestId: an id on every answer; Hatch mints one only for a 500, the one answer someone looks up
//   in the log, so the verdict's path spends nothing on ids.

import type { HttpBindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { Hono } from "hono";
import { sameOrigin } from "./auth/console-auth";
import type { Deps } from "./deps";
import { ApiError, errorBody } from "./http/errors";
import { answerHeadersFor } from "./http/security-headers";
import { newId } from "./ids";
import { assetRoutes } from "./routes/assets";
import { avatarRoutes, publicAvatarRoutes } from "./routes/avatars";
import { consoleEventRoutes } from "./routes/console-events";
import { conversationRoutes } from "./routes/conversations";
import { fileRoutes } from "./routes/files";
import { operationRoutes } from "./routes/operations";
import { policyRoutes } from "./routes/policy";
import { presenceRoutes } from "./routes/presence";
import { ruleRoutes } from "./routes/rules";
import { passwordRoutes } from "./routes/passwords";
import { replyRoutes } from "./routes/replies";
import { webhookRoutes } from "./routes/webhooks";
import { sessionRoutes } from "./routes/session";
import { twoFactorRoutes } from "./routes/two-factor";
import { sessionListRoutes } from "./routes/sessions";
import { visitorRoutes } from "./routes/visitors";
import { userRoutes } from "./routes/users";
import { widgetRoutes } from "./routes/widget";
import { widgetPreviewRoutes } from "./routes/widget-preview";

export function createApp(deps: Deps) {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.onError((error, c) => {
    const headers: Record<string, string> = {};
    // Refused before the body was all read (too large, a file type not allowed): the client must not
    // send its next request on this socket. The rest is read and dropped for a bounded time first
    // (@hono/node-server's drain), so the client reads this answer rather than a reset.
    if (!c.env.incoming.complete) headers.Connection = "close";
    if (error instanceof ApiError) {
      if (error.status === 429) deps.metrics.rateLimited.inc({ route: c.req.routePath });
      return c.json(errorBody(error.code, error.message, error.fields), error.status, { ...headers, ...error.headers });
    }
    const requestId = newId("req");
    deps.log.error({ requestId, method: c.req.method, path: c.req.path, err: error }, "request failed");
    return c.json(
      errorBody("internal", `Something went wrong on the server; it has been logged as ${requestId}.`),
      500,
      { ...headers, "X-Request-Id": requestId },
    );
  });
  app.notFound((c) => c.json(errorBody("not_found", `There is nothing at ${c.req.method} ${c.req.path}.`), 404));

  // First and after the handler, so every answer gets the headers of what it is (an HTML page, an
  // error, an asset answered as a bare Response), and a header the handler set (files served back
  // carry a stricter CSP) stays. Hono's secureHeaders works the same way but with one fixed set; the
  // verdict and event streams answer past Hono and need the same sets, so security-headers.ts is the table.
  app.use("*", async (c, next) => {
    await next();
    // An event stream wrote its own head, with the stream's set (event-stream.ts).
    if (c.res === RESPONSE_ALREADY_SENT) return;
    const headers = c.res.headers;
    for (const [name, value] of Object.entries(answerHeadersFor(c.req.path, headers.get("content-type"))))
      if (!headers.has(name)) headers.set(name, value);
  });

  app.use("*", async (c, next) => {
    const started = performance.now();
    await next();
    // Event streams are long by nature, and answered past Hono (event-stream.ts): their time says nothing of the server's speed.
    if (c.res === RESPONSE_ALREADY_SENT) return;
    deps.metrics.requestSeconds.observe(
      { route: c.req.routePath, method: c.req.method },
      (performance.now() - started) / 1000,
    );
  });

  // No id, name or search holds NUL, and PostgreSQL cannot even compare text with it: refused
  // here for every route, before a path parameter or query reaches the store.
  app.use("*", async (c, next) => {
    if (/%00/i.test(c.req.url))
      throw new ApiError(
        400,
        "bad_request",
        "The address holds a NUL character (%00), which nothing here does: remove it.",
      );
    await next();
  });

  const consoleApi = new Hono<{ Bindings: HttpBindings }>();
  consoleApi.use("*", sameOrigin(deps));
  consoleApi.route("/", sessionRoutes(deps));
  consoleApi.route("/", policyRoutes(deps));
  consoleApi.route("/", ruleRoutes(deps));
  consoleApi.route("/", conversationRoutes(deps));
  consoleApi.route("/", fileRoutes(deps));
  consoleApi.route("/", consoleEventRoutes(deps));
  consoleApi.route("/", userRoutes(deps));
  consoleApi.route("/", passwordRoutes(deps));
  consoleApi.route("/", twoFactorRoutes(deps));
  consoleApi.route("/", sessionListRoutes(deps));
  consoleApi.route("/", visitorRoutes(deps));
  consoleApi.route("/", replyRoutes(deps));
  consoleApi.route("/", presenceRoutes(deps));
  consoleApi.route("/", avatarRoutes(deps));
  consoleApi.route("/", webhookRoutes(deps));
  app.route("/api/v1/console", consoleApi);
  app.route("/api/v1/widget", widgetRoutes(deps));
  app.route("/api/v1/widget", publicAvatarRoutes(deps));
  app.route("/", operationRoutes(deps));
  // Ahead of the console's files, whose /console/* would answer its path with a 404.
  app.route("/", widgetPreviewRoutes(deps.assets));
  app.route("/", assetRoutes(deps.assets));

  return app;
}
