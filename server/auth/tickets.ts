// Visitor tickets: signed by the server, short-lived, bound to account, visitor id, IP and page origin.
// HMAC-SHA256 over the claims, one per line, with a secret the store keeps for every instance.
// Lines, not JSON: no claim can hold a line break (account and visitor ids and IPs have none, and
// the URL parser strips them from origins and paths), and serialising JSON was a third of the
// ticket's cost. A claim with a line break would only make a ticket that never verifies. Not a JWT
// (hono/utils/jwt) for the same reason: its JSON header and claims, and nobody but this server reads them.

import { createHmac, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MAX_TICKET_CHARS } from "../limits";

export interface TicketClaims {
  account: string;
  visitor: string;
  ip: string;
  origin: string;
  /** The page the verdict was given for. */
  page: string;
  /** Expiry, epoch milliseconds. */
  exp: number;
}

export interface Tickets {
  issue(claims: Omit<TicketClaims, "exp">, now: number): string;
  /** The claims of a genuine, unexpired ticket, or null. */
  verify(ticket: string, now: number): TicketClaims | null;
}

/** A ticket lives two hours; the widget asks for one on each page where the visitor chats. */
export const TICKET_MS = 2 * 3600 * 1000;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The secret an earlier version kept in DATA_DIR/secret, if any: the store takes it over (store/settings.ts). */
export function carriedSecret(dataDir: string): string | null {
  const path = join(dataDir, "secret");
  return existsSync(path) ? readFileSync(path, "utf8").trim() : null;
}

export function createTickets(secret: Buffer): Tickets {
  // The payload is base64url, so latin1 reads it exactly; a digest straight to text spares a Buffer per ticket.
  const sign = (payload: string) => createHmac("sha256", secret).update(payload, "latin1").digest("base64url");
  return {
    issue(claims, now) {
      const lines = `${claims.account}\n${claims.visitor}\n${claims.ip}\n${claims.origin}\n${claims.page}\n${now + TICKET_MS}`;
      const payload = Buffer.from(lines).toString("base64url");
      return `${payload}.${sign(payload)}`;
    },
    verify(ticket, now) {
      const [payload, signature, extra] = ticket.split(".");
      if (!payload || !signature || extra !== undefined || ticket.length > MAX_TICKET_CHARS) return null;
      // Only base64url is signed as latin1: anything else could read as the same bytes and decode otherwise.
      if (!BASE64URL.test(payload)) return null;
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      const [account, visitor, ip, origin, page, expiry, ...more] = Buffer.from(payload, "base64url")
        .toString("utf8")
        .split("\n");
      const exp = Number(expiry);
      if (page === undefined || more.length > 0 || !(exp > now)) return null;
      return { account: account!, visitor: visitor!, ip: ip!, origin: origin!, page, exp };
    },
  };
}
