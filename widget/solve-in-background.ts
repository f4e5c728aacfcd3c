// Solves a proof-of-work challenge without freezing the host page: in a Web Worker built inline (a
// blob: URL, as a worker must be same-origin with the page and Hatch's own address is not), or, where
// the page forbids such workers (a CSP without blob: in worker-src), on the main thread in short slices.

import type { Challenge } from "./api";
import type { WorkerAnswer } from "./challenge-worker";
import ChallengeWorker from "./challenge-worker?worker&inline";
import { findNumber } from "./find-number";

/**
 * The challenge's secret number, or null when none fits or `signal` stopped it; `onProgress` hears
 * how many numbers were tried so far.
 * @example await solveInBackground(challenge, (tried) => show(tried / challenge.maxnumber), abort.signal)
 */
export function solveInBackground(
  challenge: Challenge,
  onProgress: (tried: number) => void,
  signal: AbortSignal,
): Promise<number | null> {
  let worker: Worker;
  try {
    worker = new ChallengeWorker();
  } catch {
    // Some browsers refuse a worker the page's CSP forbids at once; environments without Worker too.
    return onMainThread(challenge, onProgress, signal);
  }
  return new Promise((resolve, reject) => {
    const done = () => {
      signal.removeEventListener("abort", stop);
      worker.terminate();
    };
    const stop = () => {
      done();
      resolve(null);
    };
    signal.addEventListener("abort", stop);
    worker.addEventListener("message", ({ data }: MessageEvent<WorkerAnswer>) => {
      if ("tried" in data) return onProgress(data.tried);
      done();
      if ("number" in data) resolve(data.number);
      else reject(new Error(`The proof of work failed: ${data.failed}`));
    });
    // Others report a forbidden worker later, as an error event: solve here instead.
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      done();
      onMainThread(challenge, onProgress, signal).then(resolve, reject);
    });
    // A worker's postMessage takes what to transfer (nothing here), not a target origin.
    worker.postMessage(challenge, []);
  });
}

function onMainThread(challenge: Challenge, onProgress: (tried: number) => void, signal: AbortSignal) {
  return findNumber(challenge, { onProgress, signal, pause: nextTask });
}

/** Lets the page handle its input and paint between two slices of hashing. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
