// Random identifiers and tokens, and the hash under which tokens are stored.

import { createHash, randomBytes } from "node:crypto";

/** A random id with a readable prefix, e.g. `conv_3f9a…`; 96 bits, so ids cannot be guessed. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("base64url")}`;
}

/** A secret token for a cookie or a link; 256 bits. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Tokens are stored hashed, so a copy of the database cannot be used to sign in. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
