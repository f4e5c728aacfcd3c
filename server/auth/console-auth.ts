// server/auth/: who a request is (console sessions and passwords, sign-in limits, visitor tickets);
// above protection, whose rate limits keep password guessing slow.
// Console guards: the session cookie, roles, and a same-origin Origin on every state change (CSRF).

import type { HttpBindings } from "@hono/node-server";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Role } from "../../policy/wire";
import type { Deps } from "../deps";
import { ApiError } from "../http/errors";
import type { User } from "../store/accounts";
import { LAST_SEEN_STEP_MS } from "../store/sessions";

export const SESSION_COOKIE = "hatch_session";

export type ConsoleEnv = { Bindings: HttpBindings; Variables: { user: User } };

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure when Hatch is served over https. */
export function setSessionCookie(c: Context, deps: Deps, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: deps.config.publicUrl.startsWith("https:"),
    path: "/",
    maxAge: 30 * 24 * 3600,
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}

export function sessionToken(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/** Refuses a state change whose Origin is not Hatch's own (a cross-site form or fetch). */
export function sameOrigin(deps: Deps): MiddlewareHandler {
  return async (c, next) => {
    // Read per request: with PORT=0 the public URL is known only once the socket is bound.
    const own = new URL(deps.config.publicUrl).origin;
    if (c.req.method !== "GET" && c.req.method !== "HEAD" && c.req.header("origin") !== own) {
      throw new ApiError(
        403,
        "cross_origin",
        `Changes must come from the console at ${own}; this request came from ${c.req.header("origin") ?? "no origin"}.`,
      );
    }
    await next();
  };
}

/**
 * Requires a signed-in user, and sets `c.var.user`: an owner for "owner"; for "enrolling", also one whose
 * account requires two-factor sign-in they have not set up, who may use nothing else (the enrolment's
 * routes, and /me, which tells the console so).
 */
export function requireUser(deps: Deps, access?: Role | "enrolling"): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const token = sessionToken(c);
    const user = token ? await deps.accounts.sessionUser(token, deps.now()) : null;
    if (!user) throw new ApiError(401, "signed_out", "Sign in to the console first.");
    if (user.mustEnrolTwoFactor && access !== "enrolling")
      throw new ApiError(
        403,
        "two_factor_enrolment_required",
        "Your account's owners require two-factor sign-in: set it up in the console (Options) first.",
      );
    if (access === "owner" && user.role !== "owner") {
      throw new ApiError(403, "forbidden", "Only an owner of the account can do this.");
    }
    // A minute's precision is all "last used" needs, and spares a write per request.
    if (token && deps.now() - (user.lastSeen ?? 0) >= LAST_SEEN_STEP_MS) await deps.sessions.touch(token, deps.now());
    c.set("user", user);
    await next();
  };
}

/** Owners may write; agents may read. For routes where both read but only owners change. */
export function ownerWrites(): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (c.req.method !== "GET" && c.get("user").role !== "owner") {
      throw new ApiError(403, "forbidden", "Only an owner of the account can change this.");
    }
    await next();
  };
}
