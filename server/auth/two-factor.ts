// Two-factor sign-in's codes: TOTP (RFC 6238: SHA-1, six digits, 30-second steps, as every authenticator
// app reads an otpauth:// link) with otpauth, the enrolment's QR code drawn as SVG with qrcode, and ten
// one-time backup codes. Which step a code was accepted for is returned, so the store can refuse it reused.

import { randomInt } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { hashToken } from "../ids";

const PERIOD_SECONDS = 30;
/** One step either side: a phone's clock a little off, or a code typed as it changed. */
const WINDOW_STEPS = 1;
const BACKUP_CODE_COUNT = 10;
/** Letters and digits no one misreads (no 0/o, 1/l/i): 8 of them are 40 bits a code. */
const BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
/** Six digits (a TOTP code), or a backup code as shown (`abcd-efgh`), spaces and case aside. */
export const TOTP_CODE = /^\d{6}$/;

/** A new secret: 160 bits, as RFC 4226 recommends, in base32 as apps take it typed in. */
export function newSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label = "Hatch"): TOTP {
  return new TOTP({ issuer: "Hatch", label, secret: Secret.fromBase32(secret), period: PERIOD_SECONDS });
}

/** The otpauth:// link an authenticator app takes, labelled with the account and email it signs in to. */
export function otpauthUrl(secret: string, account: string, email: string): string {
  return totp(secret, `${account}:${email}`).toString();
}

/** The link as a QR code, an SVG document (no script: it is shown in an <img>). */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

/** The time step `code` is right for at `now` (within a step either side), or null when it is wrong. */
export function acceptedStep(secret: string, code: string, now: number): number | null {
  if (!TOTP_CODE.test(code)) return null;
  const delta = totp(secret).validate({ token: code, timestamp: now, window: WINDOW_STEPS });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
}

/** Ten backup codes to show once, `abcd-efgh`. */
export function newBackupCodes(): string[] {
  const part = () => Array.from({ length: 4 }, () => BACKUP_ALPHABET[randomInt(BACKUP_ALPHABET.length)]).join("");
  return Array.from({ length: BACKUP_CODE_COUNT }, () => `${part()}-${part()}`);
}

/** A backup code's stored form: typed with or without its dash, in any case, then hashed. */
export function backupCodeHash(code: string): string {
  return hashToken(code.toLowerCase().replace(/[\s-]/g, ""));
}
