// Random identifiers and tokens, and the hash under which tokens are stored.

import { createHash, randomBytes, randomFillSync } from "node:crypto";

const ID_BYTES = 12;
// One system call fills many ids: a verdict makes a visitor id, and randomBytes(12) per request
// was an eighth of the verdict's time. The same trick as Node's own randomUUID cache.
const pool = Buffer.alloc(ID_BYTES * 256);
let poolOffset = pool.length;

/** A random id with a readable prefix, e.g. `conv_3f9a…`; 96 bits, so ids cannot be guessed. */
export function newId(prefix: string): string {
  if (poolOffset + ID_BYTES > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const id = pool.toString("base64url", poolOffset, poolOffset + ID_BYTES);
  poolOffset += ID_BYTES;
  return `${prefix}_${id}`;
}

/** A secret token for a cookie or a link; 256 bits. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Tokens are stored hashed, so a copy of the database cannot be used to sign in. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
