// Webhook secrets and signatures as the Standard Webhooks specification defines them, so receivers
// verify with its published libraries (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md).
// Signing is one HMAC-SHA256 that node:crypto does natively; the `standardwebhooks` package would add
// two pure-JS dependencies (a SHA-256 and a base64) for it, so it is only a test dependency, as a verifier.

import { createHmac, randomBytes } from "node:crypto";

/** What one signature covers: the delivery's id, its `webhook-timestamp` and its exact body. */
export interface SignedDelivery {
  id: string;
  /** Seconds since the epoch, as sent in `webhook-timestamp`. */
  timestamp: number;
  body: string;
  /** `whsec_` and the base64 key. */
  secret: string;
}

const SECRET_PREFIX = "whsec_";
// The spec asks for 24 to 64 bytes of key; 24 is what its reference libraries generate.
const SECRET_BYTES = 24;

/**
 * A new endpoint secret, shown to the owner once.
 * @example newWebhookSecret() // "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
 */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString("base64");
}

/**
 * The `webhook-signature` header value: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`,
 * keyed with the secret's decoded bytes (not its text).
 * @example signDelivery({ id: "msg_1", timestamp: 1700000000, body: "{}", secret }) // "v1,K5oZ…="
 */
export function signDelivery({ id, timestamp, body, secret }: SignedDelivery): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, "base64");
  const mac = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return `v1,${mac}`;
}
