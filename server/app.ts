// The Hono app: security headers, the contract's error shape, and one sub-app per resource.

import type { HttpBindings } from "@hono/node-server";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { sameOrigin } from "./console-auth";
import type { Deps } from "./deps";
import { ApiError, errorBody } from "./errors";
import { consoleEventRoutes } from "./routes/console-events";
import { conversationRoutes } from "./routes/conversations";
import { fileRoutes } from "./routes/files";
import { ipRuleRoutes } from "./routes/ip-rules";
import { policyRoutes } from "./routes/policy";
import { sessionRoutes } from "./routes/session";
import { widgetRoutes } from "./routes/widget";

/** JSON bodies on console routes; the IP rules paste has its own, larger limit. */
export const MAX_JSON_BYTES = 64 * 1024;

export function createApp(deps: Deps) {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
      return c.json(errorBody(error.code, error.message, error.fields), error.status);
    }
    console.error(error);
    return c.json(errorBody("internal", "Something went wrong on the server; it has been logged."), 500);
  });
  app.notFound((c) => c.json(errorBody("not_found", `There is nothing at ${c.req.method} ${c.req.path}.`), 404));

  // Widget assets and API are read cross-origin by host pages; everything else stays same-origin.
  // A route that sets its own header keeps it (files served back carry a stricter CSP).
  const headers = (crossOriginResourcePolicy: "cross-origin" | "same-origin") => secureHeaders({
    crossOriginResourcePolicy,
    crossOriginOpenerPolicy: "same-origin",
    referrerPolicy: "strict-origin-when-cross-origin",
    xFrameOptions: "DENY",
    overwrite: false,
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      imgSrc: ["'self'", "blob:", "data:"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
    },
  });
  const crossOriginHeaders = headers("cross-origin");
  const sameOriginHeaders = headers("same-origin");
  app.use("*", (c, next) => {
    const crossOrigin = c.req.path === "/loader.js" || c.req.path.startsWith("/widget/") || c.req.path.startsWith("/api/v1/widget/");
    return (crossOrigin ? crossOriginHeaders : sameOriginHeaders)(c, next);
  });

  const tooLarge = () => {
    throw new ApiError(413, "too_large", `The request body is larger than ${MAX_JSON_BYTES} bytes.`);
  };
  const consoleApi = new Hono<{ Bindings: HttpBindings }>();
  consoleApi.use("*", sameOrigin(deps));
  consoleApi.use("*", async (c, next) => {
    if (c.req.path.endsWith("/ip-rules")) return next();
    return bodyLimit({ maxSize: MAX_JSON_BYTES, onError: tooLarge })(c, next);
  });
  consoleApi.route("/", sessionRoutes(deps));
  consoleApi.route("/", policyRoutes(deps));
  consoleApi.route("/", ipRuleRoutes(deps));
  consoleApi.route("/", conversationRoutes(deps));
  consoleApi.route("/", fileRoutes(deps));
  consoleApi.route("/", consoleEventRoutes(deps));
  app.route("/api/v1/console", consoleApi);
  app.route("/api/v1/widget", widgetRoutes(deps));

  return app;
}
