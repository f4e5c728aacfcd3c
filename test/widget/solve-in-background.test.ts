// Where the proof of work runs: in the inline Web Worker (challenge-worker.ts, run here in-process
// behind a fake Worker), or on the main thread when there is no Worker or the page's CSP forbids it.

import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Challenge } from "../../widget/api";
import type { WorkerAnswer } from "../../widget/challenge-worker";
import { solveInBackground } from "../../widget/solve-in-background";
import { makeChallenge } from "./fakes";

/** The worker's global scope as challenge-worker.ts sees it, wired to the newest InProcessWorker. */
class WorkerScope extends EventTarget {
  postMessage(answer: WorkerAnswer) {
    InProcessWorker.latest?.receive(answer);
  }
}
const scope = new WorkerScope();

/** A Worker running challenge-worker.ts in this process; terminated, it hears nothing more. */
class InProcessWorker extends EventTarget {
  static latest: InProcessWorker | null = null;
  terminated = false;
  readonly answers: WorkerAnswer[] = [];

  constructor() {
    super();
    InProcessWorker.latest = this;
  }

  postMessage(challenge: Challenge) {
    setTimeout(() => scope.dispatchEvent(new MessageEvent("message", { data: challenge })));
  }

  receive(answer: WorkerAnswer) {
    if (this.terminated) return;
    this.answers.push(answer);
    this.dispatchEvent(new MessageEvent("message", { data: answer }));
  }

  terminate() {
    this.terminated = true;
  }
}

/** A worker the page's CSP blocks, as browsers that report it late do: an error event, no message. */
class BlockedWorker extends EventTarget {
  postMessage() {
    setTimeout(() => this.dispatchEvent(new Event("error", { cancelable: true })));
  }
  terminate() {}
}

const solve = (challenge: Challenge, onProgress = (_tried: number) => {}, signal = new AbortController().signal) =>
  solveInBackground(challenge, onProgress, signal);

beforeAll(async () => {
  vi.stubGlobal("self", scope);
  await import("../../widget/challenge-worker");
  vi.unstubAllGlobals();
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  InProcessWorker.latest = null;
});

describe("solveInBackground", () => {
  it("solves in the worker: progress as it goes, then the number, and the worker is let go", async () => {
    vi.stubGlobal("Worker", InProcessWorker);
    const reports: number[] = [];
    expect(await solve(await makeChallenge(1_300, 2_000), (tried) => reports.push(tried))).toBe(1_300);
    expect(reports).toEqual([500, 1_000]);
    expect(InProcessWorker.latest?.answers.at(-1)).toEqual({ number: 1_300 });
    expect(InProcessWorker.latest?.terminated).toBe(true);
  });

  it("terminates the worker at once on cancel, answering null", async () => {
    vi.stubGlobal("Worker", InProcessWorker);
    const abort = new AbortController();
    const solving = solve(await makeChallenge(1_900, 2_000), () => abort.abort(), abort.signal);
    expect(await solving).toBeNull();
    expect(InProcessWorker.latest?.terminated).toBe(true);
    expect(InProcessWorker.latest?.answers).toEqual([{ tried: 500 }]);
  });

  it("rejects when Web Crypto fails in the worker, rather than waiting for ever", async () => {
    vi.stubGlobal("Worker", InProcessWorker);
    const challenge = await makeChallenge(10);
    vi.spyOn(crypto.subtle, "digest").mockRejectedValue(new Error("no digest here"));
    await expect(solve(challenge)).rejects.toThrow("The proof of work failed: Error: no digest here");
  });

  it("solves on the main thread where there is no Worker", async () => {
    expect(globalThis.Worker).toBeUndefined();
    const reports: number[] = [];
    expect(await solve(await makeChallenge(800), (tried) => reports.push(tried))).toBe(800);
    expect(reports).toEqual([500]);
  });

  it("solves on the main thread when the page's CSP forbids the worker at once", async () => {
    vi.stubGlobal("Worker", function BlockedAtOnce() {
      throw new DOMException("Refused to create a worker from 'blob:…'", "SecurityError");
    });
    expect(await solve(await makeChallenge(321))).toBe(321);
  });

  it("solves on the main thread when the worker fails to start later, with an error event", async () => {
    vi.stubGlobal("Worker", BlockedWorker);
    expect(await solve(await makeChallenge(654))).toBe(654);
  });

  it("stops on the main thread too when cancelled", async () => {
    const abort = new AbortController();
    expect(await solve(await makeChallenge(900), () => abort.abort(), abort.signal)).toBeNull();
  });
});
