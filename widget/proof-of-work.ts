// The proof-of-work gate as the visitor sees it: how far the solving has got, and a way to cancel.
// The solver (a Web Worker and its fallback) is fetched only when a first challenge comes, and nothing
// of it is stored in the browser.

import { signal, type ReadonlySignal } from "@preact/signals";
import { CHALLENGE_CANCELLED, RefusedRequest, type Challenge } from "./api";

export interface ProofOfWork {
  /** While a challenge is being solved, the share of its numbers tried so far, 0 to 1; else null. */
  readonly progress: ReadonlySignal<number | null>;
  /**
   * Solves the challenge into ALTCHA's payload (base64 of the JSON of algorithm, challenge, number,
   * salt and signature), the ticket route's `solution`. Cancelled, it rejects with a RefusedRequest
   * coded CHALLENGE_CANCELLED.
   */
  prove(challenge: Challenge): Promise<string>;
  /** Stops the solving at once. */
  cancel(): void;
}

/**
 * A model of the gate for one panel; hand `prove` to the API client.
 * @example const gate = createProofOfWork(); const api = createApi(boot, { prove: gate.prove });
 */
export function createProofOfWork(): ProofOfWork {
  const progress = signal<number | null>(null);
  let solving: AbortController | null = null;

  async function prove(challenge: Challenge): Promise<string> {
    // Web Crypto exists only on secure pages: an http:// page cannot solve the check at all.
    if (!globalThis.crypto?.subtle)
      throw new RefusedRequest(403, "challenge_unsupported", "No Web Crypto here: the page is not https://.");
    const abort = new AbortController();
    solving = abort;
    progress.value = 0;
    // Cancel settles at once, not when the solver next looks: a Send right after it starts afresh.
    const cancelled = new Promise<never>((_, reject) =>
      abort.signal.addEventListener("abort", () => reject(new RefusedRequest(403, CHALLENGE_CANCELLED, ""))),
    );
    try {
      return await Promise.race([solve(challenge, abort), cancelled]);
    } finally {
      if (solving === abort) {
        solving = null;
        progress.value = null;
      }
    }
  }

  async function solve(challenge: Challenge, abort: AbortController): Promise<string> {
    const { solveInBackground } = await import("./solve-in-background");
    // Cancelled while the solver was fetched: `cancelled` has answered already; start nothing.
    if (abort.signal.aborted) return "";
    const report = (tried: number) => {
      if (!abort.signal.aborted) progress.value = Math.min(1, tried / challenge.maxnumber);
    };
    const number = await solveInBackground(challenge, report, abort.signal);
    if (number === null) throw new Error("No number solves this challenge.");
    const { algorithm, salt, signature } = challenge;
    return btoa(JSON.stringify({ algorithm, challenge: challenge.challenge, number, salt, signature }));
  }

  function cancel() {
    solving?.abort();
    solving = null;
    progress.value = null;
  }

  return { progress, prove, cancel };
}
