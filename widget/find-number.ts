// The proof of work itself: the number n in [0, maxnumber] whose SHA-256(salt + n) is the challenge,
// searched with altcha-lib's solver (Web Crypto) one slice at a time, to report progress and stop on demand.
// altcha-lib rather than a loop of our own: it is what the server verifies with, and it tree-shakes to
// under half a kilobyte, with no Node import (see the solve-in-background chunk in dist/widget).

import { solveChallenge } from "altcha-lib/v1";
import type { Challenge } from "./api";

/** Numbers hashed between two progress reports (and, on the main thread, two pauses). */
const SLICE_NUMBERS = 500;

export interface FindOptions {
  /** After each slice: how many numbers have been tried so far. */
  onProgress(tried: number): void;
  /** Stops the search between slices; it then resolves null. */
  signal?: AbortSignal;
  /** Awaited between slices: on the page's main thread, a turn for its own events. */
  pause?(): Promise<void>;
}

/**
 * The secret number of an ALTCHA challenge, or null when none fits (or the search was stopped).
 * @example await findNumber(challenge, { onProgress: (tried) => bar(tried / challenge.maxnumber) }) // 48213
 */
export async function findNumber(
  challenge: Challenge,
  { onProgress, signal, pause }: FindOptions,
): Promise<number | null> {
  for (let start = 0; start <= challenge.maxnumber; start += SLICE_NUMBERS) {
    if (signal?.aborted) return null;
    const end = Math.min(start + SLICE_NUMBERS - 1, challenge.maxnumber);
    const found = await solveChallenge(challenge.challenge, challenge.salt, challenge.algorithm, end, start).promise;
    if (found) return found.number;
    onProgress(end + 1);
    await pause?.();
  }
  return null;
}
