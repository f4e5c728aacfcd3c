// How sign-in attempts are limited: guessing a password stays slow from one address and from many,
// and guessing wrong from elsewhere cannot lock a user out of the addresses they sign in from.
//
// Failures are what count. Each budget is taken before the password is checked, so guesses sent in
// parallel cannot slip past it, and given back when the password was right:
//   - per address and user: 10 failures in 15 minutes, then 429 for that pair only;
//   - per address: every attempt (30 a minute) and its failures (100 an hour), against one address
//     trying many users;
//   - per user across addresses: 50 failures in 15 minutes; past it the user is refused before the
//     password is checked, except from an address they signed in from in the last 90 days, where
//     the password is checked as ever. A guesser with many addresses is then stopped; the user is not.

import { ApiError } from "../http/errors";
import type { RateLimit } from "../protection/rate-limit";

type SignInLimits = Record<
  "loginByIp" | "loginFailuresByIp" | "loginFailuresByUserAndIp" | "loginFailuresByUser",
  RateLimit
>;

interface SignInAttempt {
  /** The account and email signed in to, whether or not such a user exists. */
  user: string;
  /** addressKey() of where the attempt comes from. */
  address: string;
  /** Whether the user signed in from this address before: asked only once the user's own budget is spent. */
  knownAddress(): Promise<boolean>;
}

/**
 * Takes one attempt from every budget, or throws the 429 of the first spent (giving back what it
 * took). Resolves to what to call once the password proved right: it gives the failures back.
 */
export async function admitSignIn(limits: SignInLimits, attempt: SignInAttempt): Promise<() => Promise<void>> {
  await limits.loginByIp.take(attempt.address);
  const taken: [RateLimit, string][] = [];
  const take = async (limit: RateLimit, key: string) => {
    await limit.take(key);
    taken.push([limit, key]);
  };
  try {
    await take(limits.loginFailuresByIp, attempt.address);
    await take(limits.loginFailuresByUserAndIp, `${attempt.user}/${attempt.address}`);
    await take(limits.loginFailuresByUser, attempt.user).catch(async (refusal: unknown) => {
      const spent = refusal instanceof ApiError && refusal.status === 429;
      if (!spent || !(await attempt.knownAddress())) throw refusal;
    });
  } catch (refusal) {
    await giveBack(taken);
    throw refusal;
  }
  return () => giveBack(taken);
}

async function giveBack(taken: [RateLimit, string][]): Promise<void> {
  await Promise.all(taken.map(([limit, key]) => limit.refund(key, 1)));
}
