// The security headers of every answer: one table, a set per kind of answer (an HTML page, anything
// else, an event stream), each frozen once, so the verdict sends its set as it is, with no work per request.

import { PATHS } from "./paths";

/**
 * What an answer is, for its headers. `public` answers are read by host pages on other origins (the
 * loader, the widget's modules, the widget API and its stream), so their CORP allows that.
 */
type AnswerKind = "page" | "resource" | "publicResource" | "stream" | "publicStream";

type HeaderSet = Readonly<Record<string, string>>;

/**
 * The console's page: its scripts, styles and icon from its own origin (index.html has no inline
 * script or style; Preact sets styles through the CSSOM, which CSP does not govern), its API and
 * event stream on the same origin, visitors' images from the files route; no HTML from strings. It
 * frames one page of its own origin: the widget's preview (routes/widget-preview.ts).
 */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "manifest-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join("; ");

/** For an answer that is not a page: if it is ever opened as one, nothing loads or runs in it, nothing frames it. */
const INERT_CSP = "default-src 'none'; frame-ancestors 'none'";

const HSTS = "max-age=15552000; includeSubDomains";

/**
 * The table. Headers that govern documents only (opener, agent cluster, DNS prefetch, permissions,
 * cross-domain policies) go on the page alone; an event stream keeps its head in memory as long as
 * it lasts (socket-takeover.ts), so it carries only what applies to it: no framing header either.
 */
const SETS: Readonly<Record<AnswerKind, HeaderSet>> = Object.freeze({
  page: Object.freeze({
    "Content-Security-Policy": PAGE_CSP,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Origin-Agent-Cluster": "?1",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(), payment=(), usb=()",
    // The console's own requests keep it; the links it shows to other sites get nothing.
    "Referrer-Policy": "same-origin",
    "Strict-Transport-Security": HSTS,
    "X-Content-Type-Options": "nosniff",
    "X-DNS-Prefetch-Control": "off",
    "X-Frame-Options": "DENY",
    "X-Permitted-Cross-Domain-Policies": "none",
  }),
  resource: Object.freeze({
    "Content-Security-Policy": INERT_CSP,
    "Cross-Origin-Resource-Policy": "same-origin",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Strict-Transport-Security": HSTS,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
  }),
  publicResource: Object.freeze({
    "Content-Security-Policy": INERT_CSP,
    "Cross-Origin-Resource-Policy": "cross-origin",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Strict-Transport-Security": HSTS,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
  }),
  stream: Object.freeze({
    "Content-Security-Policy": INERT_CSP,
    "Cross-Origin-Resource-Policy": "same-origin",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Strict-Transport-Security": HSTS,
    "X-Content-Type-Options": "nosniff",
  }),
  publicStream: Object.freeze({
    "Content-Security-Policy": INERT_CSP,
    "Cross-Origin-Resource-Policy": "cross-origin",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Strict-Transport-Security": HSTS,
    "X-Content-Type-Options": "nosniff",
  }),
});

const isPublic = (path: string): boolean => PATHS.public.test(path);

/** The headers of an answer at a path that is neither a page nor a stream: JSON, a script, a redirect, an error. */
export function securityHeadersFor(path: string): HeaderSet {
  return isPublic(path) ? SETS.publicResource : SETS.resource;
}

/** The security headers of an event stream at a path. */
export function eventStreamHeadersFor(path: string): HeaderSet {
  return isPublic(path) ? SETS.publicStream : SETS.stream;
}

/** The headers of an answer at `path`, chosen by what it is: an HTML page, an event stream, or anything else. */
export function answerHeadersFor(path: string, contentType: string | null): HeaderSet {
  if (contentType?.startsWith("text/html")) return SETS.page;
  if (contentType?.startsWith("text/event-stream")) return eventStreamHeadersFor(path);
  return securityHeadersFor(path);
}
