// Password hashing with scrypt from node:crypto (no native dependency), in a self-describing format:
// each hash names its parameters, so hashes made with older ones still verify and can be renewed.

import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import * as z from "zod/mini";
import { MAX_HASHES_AT_ONCE, MAX_PASSWORD_CHARS } from "../limits";

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * OWASP's scrypt parameters (Password Storage Cheat Sheet: N=2^17, r=8, p=1). Measured on a 2-core
 * machine (bench/sign-in.ts): a hash check takes ~410 ms against ~100 ms at the N=2^15 used before, a
 * sign-in ~420 ms, once a session (30 days). Each hash holds 128 MiB while it runs (128·N·r bytes).
 */
export const SCRYPT_PARAMS: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
const KEY_BYTES = 32;
const MIN_PASSWORD_CHARS = 10;

let running = 0;
const waiting: (() => void)[] = [];

async function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  if (running >= MAX_HASHES_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await new Promise((resolve, reject) =>
      // maxmem: scrypt refuses to start past it; twice what these parameters need.
      scrypt(
        password.normalize("NFKC"),
        salt,
        KEY_BYTES,
        { ...params, maxmem: 256 * params.N * params.r },
        (error, key) => (error ? reject(error) : resolve(key)),
      ),
    );
  } finally {
    // The next in line takes this one's place; `running` counts it already.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** `scrypt$N$r$p$salt$hash`, all base64url; `params` other than SCRYPT_PARAMS only where tests lower the cost (Config). */
export async function hashPassword(password: string, params = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await derive(password, Buffer.from(salt, "base64url"), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Whether a stored hash was made with other parameters than new ones are: hash the password again after a sign-in. */
export function isOutdatedHash(stored: string, params = SCRYPT_PARAMS): boolean {
  return !stored.startsWith(`scrypt$${params.N}$${params.r}$${params.p}$`);
}

/** Why a new password is refused, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_CHARS) return `Use at least ${MIN_PASSWORD_CHARS} characters.`;
  if (password.length > MAX_PASSWORD_CHARS) return `Use at most ${MAX_PASSWORD_CHARS} characters.`;
  return null;
}

/** A password field in a request: long enough to be checked by passwordProblem, capped before scrypt sees it. */
export const passwordFieldSchema = z
  .string()
  .check(z.maxLength(MAX_PASSWORD_CHARS, `Use at most ${MAX_PASSWORD_CHARS} characters.`));
