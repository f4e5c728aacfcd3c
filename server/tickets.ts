// Visitor tickets: signed by the server, short-lived, bound to account, visitor id, IP and page origin.
// HMAC-SHA256 over a compact JSON payload; a generated secret in DATA_DIR survives restarts.

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

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

/** A ticket lives two hours; the widget asks for a fresh verdict (and ticket) on every page load. */
export const TICKET_MS = 2 * 3600 * 1000;
/** A page URL of 4096 characters (the verdict's cap) makes a ticket of about 6 KB; anything longer is forged. */
const MAX_TICKET_CHARS = 8192;

/** Reads DATA_DIR/secret, creating it (mode 0600) on first start. */
export function loadSecret(dataDir: string): Buffer {
  const path = join(dataDir, "secret");
  if (!existsSync(path)) writeFileSync(path, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return Buffer.from(readFileSync(path, "utf8").trim(), "base64url");
}

export function createTickets(secret: Buffer): Tickets {
  const sign = (payload: string) => createHmac("sha256", secret).update(payload).digest();
  return {
    issue(claims, now) {
      const payload = Buffer.from(JSON.stringify({ ...claims, exp: now + TICKET_MS })).toString("base64url");
      return `${payload}.${sign(payload).toString("base64url")}`;
    },
    verify(ticket, now) {
      const [payload, signature, extra] = ticket.split(".");
      if (!payload || !signature || extra !== undefined || ticket.length > MAX_TICKET_CHARS) return null;
      const expected = sign(payload);
      const given = Buffer.from(signature, "base64url");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      try {
        const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as TicketClaims;
        return typeof claims.exp === "number" && claims.exp > now ? claims : null;
      } catch {
        return null;
      }
    },
  };
}
