// The Web Worker that solves a proof-of-work challenge away from the page's main thread: it takes the
// challenge, posts how far it has got, then the number; the page terminates it to cancel.

import type { Challenge } from "./api";
import { findNumber } from "./find-number";

/** What the worker posts: progress, the number (null if none fits), or that Web Crypto failed here. */
export type WorkerAnswer = { tried: number } | { number: number | null } | { failed: string };

// The worker's own global scope. The project is typed with the DOM's lib; the "webworker" lib would
// clash with it, so only what is used here is named.
const scope = self as unknown as {
  addEventListener(type: "message", listener: (event: MessageEvent<Challenge>) => void): void;
  postMessage(answer: WorkerAnswer, transfer: Transferable[]): void;
};

/** Posts to the page; a worker's postMessage takes what to transfer (nothing), not a target origin. */
const answer = (message: WorkerAnswer) => scope.postMessage(message, []);

scope.addEventListener("message", ({ data }) => {
  // A rejection inside a worker reaches the page as nothing at all: say so, or it would wait forever.
  findNumber(data, { onProgress: (tried) => answer({ tried }) }).then(
    (number) => answer({ number }),
    (error: unknown) => answer({ failed: String(error) }),
  );
});
