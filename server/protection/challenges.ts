// The proof-of-work gate: ALTCHA challenges (SHA-256 of salt and a secret number, signed with HMAC),
// made and checked by altcha-lib on the server. A challenge is bound to the account, the visitor id
// and the address in its salt's parameters, expires in minutes, and its solution buys one ticket:
// the store remembers it (store/protection.ts), so a replay fails on every instance.

import { createHmac } from "node:crypto";
import { createChallenge, extractParams, verifySolution } from "altcha-lib/v1";
import type { Challenge } from "altcha-lib/v1/types";
import * as z from "zod/mini";
import type { ProtectionStore } from "../store/protection";
import { MAX_SOLUTION_CHARS } from "../limits";

/** Long enough for a slow phone to solve and ask again, short enough that a stock of solutions goes stale. */
export const CHALLENGE_MS = 5 * 60 * 1000;

interface ChallengeFor {
  account: string;
  visitor: string;
  ip: string;
}

type Redeemed = { ok: true; visitor: string } | { ok: false; message: string };

export interface Challenges {
  make(who: ChallengeFor, difficulty: number, now: number): Promise<Challenge>;
  /**
   * Checks a solution (ALTCHA's base64 payload) for this account and address, and for `visitor`
   * when the request names one; used once. On success, the visitor id the challenge was made for.
   */
  redeem(
    solution: string,
    who: { account: string; visitor: string | null; ip: string },
    now: number,
  ): Promise<Redeemed>;
}

const HEX_64 = /^[0-9a-f]{64}$/;

/**
 * ALTCHA's payload, as a widget sends it back; only SHA-256, which is what Hatch makes. ALTCHA's own
 * widget adds `took` (milliseconds) and `test`: like altcha-lib's verifySolution, the check ignores
 * those and any other field (dropped here), and MAX_SOLUTION_CHARS bounds them.
 */
const payloadSchema = z.object({
  algorithm: z.literal("SHA-256"),
  challenge: z.string().check(z.regex(HEX_64)),
  number: z.number().check(z.int(), z.minimum(0), z.maximum(100_000_000)),
  salt: z.string().check(z.maxLength(400)),
  signature: z.string().check(z.regex(HEX_64)),
});

const NOT_VALID = "That proof of work is not valid here: solve the new challenge.";

function readPayload(solution: string): z.infer<typeof payloadSchema> | null {
  if (solution.length > MAX_SOLUTION_CHARS) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(solution, "base64").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function createChallenges(secret: Buffer, store: ProtectionStore): Challenges {
  // A key of its own, so a challenge signature can never pass for a ticket's, nor the reverse.
  const hmacKey = createHmac("sha256", secret).update("hatch proof-of-work challenges").digest("hex");
  return {
    make(who, difficulty, now) {
      return createChallenge({
        hmacKey,
        maxnumber: difficulty,
        params: { account: who.account, visitor: who.visitor, ip: who.ip, until: String(now + CHALLENGE_MS) },
      });
    },
    async redeem(solution, who, now) {
      const payload = readPayload(solution);
      if (payload === null) return { ok: false, message: NOT_VALID };
      const params = extractParams(payload);
      const until = Number(params.until);
      if (params.account !== who.account || params.ip !== who.ip || !params.visitor)
        return { ok: false, message: NOT_VALID };
      if (who.visitor !== null && who.visitor !== params.visitor) return { ok: false, message: NOT_VALID };
      if (!(until > now)) return { ok: false, message: "That proof of work has expired: solve the new challenge." };
      // Hatch's clock (`until`) decides expiry, not altcha-lib's own reading of Date.now().
      if (!(await verifySolution(payload, hmacKey, false))) return { ok: false, message: NOT_VALID };
      if (!(await store.useSolution(payload.signature, until)))
        return { ok: false, message: "That proof of work was used already: solve the new challenge." };
      return { ok: true, visitor: params.visitor };
    },
  };
}
