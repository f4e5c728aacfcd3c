// Hatch's proof of work as the widget's worker answers it, for the server tests that meet a challenge.
import { solveChallenge } from "altcha-lib/v1";
import type { Challenge } from "../../widget/api";

/**
 * Solves a challenge as the widget's worker does, and encodes the payload the ticket route takes;
 * `extra` fields go in the payload too (ALTCHA's own widget adds `took` and `test`).
 */
export async function solve(
  challenge: Challenge,
  number?: number,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const found =
    number ??
    (await solveChallenge(challenge.challenge, challenge.salt, "SHA-256", challenge.maxnumber).promise)?.number;
  if (found === undefined) throw new Error("the challenge has no solution");
  const { algorithm, salt, signature } = challenge;
  return Buffer.from(
    JSON.stringify({ algorithm, challenge: challenge.challenge, number: found, salt, signature, ...extra }),
  ).toString("base64");
}
