// The secret that makes a chat the visitor's own: a token (ids.ts) handed to the widget once, when the
// chat opens, and stored only as its hash. The visitor id names a browser and travels in URLs, tickets
// and the rules export, so it opens nothing; every request on a chat presents the secret in X-Chat-Secret.

import { timingSafeEqual } from "node:crypto";
import { hashToken } from "./ids";

/** The request header that carries the secret: never a URL, which logs and proxies keep. */
export const CHAT_SECRET_HEADER = "X-Chat-Secret";

/** A token is 32 bytes in base64url; anything else presented cannot be one. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * What a request proves with the secret it presents: its hash, the form the store keeps. SHA-256 is
 * enough for a random 256-bit secret (there is nothing to guess, so nothing to slow down).
 */
export function proofOf(presented: string | undefined): string | null {
  return presented !== undefined && TOKEN.test(presented) ? hashToken(presented) : null;
}

/** Whether `proof` is the stored hash, compared in constant time; a chat stored with none is proven by nothing. */
export function proves(stored: string | null, proof: string | null): boolean {
  if (stored === null || proof === null || stored.length !== proof.length) return false;
  return timingSafeEqual(Buffer.from(stored), Buffer.from(proof));
}
