// The proof of work's search on its own: for a challenge made as the server makes it, it finds the
// secret number with Web Crypto, reports how many numbers it tried, pauses between slices and stops on demand.

import { describe, expect, it, vi } from "vitest";
import { findNumber } from "../../widget/find-number";
import { makeChallenge } from "./fakes";

describe("findNumber", () => {
  it.each([0, 499, 500, 1_234, 2_000])("finds the secret %i of a challenge up to 2,000", async (secret) => {
    const challenge = await makeChallenge(secret, 2_000);
    expect(await findNumber(challenge, { onProgress: () => {} })).toBe(secret);
  });

  it("reports the numbers tried so far after each slice, never past the secret", async () => {
    const challenge = await makeChallenge(1_700, 2_000);
    const reports: number[] = [];
    await findNumber(challenge, { onProgress: (tried) => reports.push(tried) });
    expect(reports).toEqual([500, 1_000, 1_500]);
  });

  it("tries every number up to maxnumber, then answers null when none fits", async () => {
    const challenge = await makeChallenge(1_500, 1_000);
    const reports: number[] = [];
    expect(await findNumber(challenge, { onProgress: (tried) => reports.push(tried) })).toBeNull();
    expect(reports.at(-1)).toBe(1_001);
  });

  it("pauses between slices, for the page's own events on the main thread", async () => {
    const challenge = await makeChallenge(1_200, 2_000);
    const pause = vi.fn(() => Promise.resolve());
    await findNumber(challenge, { onProgress: () => {}, pause });
    expect(pause).toHaveBeenCalledTimes(2);
  });

  it("stops at the next slice once aborted, answering null", async () => {
    const challenge = await makeChallenge(1_900, 2_000);
    const abort = new AbortController();
    const reports: number[] = [];
    const found = await findNumber(challenge, {
      onProgress: (tried) => {
        reports.push(tried);
        abort.abort();
      },
      signal: abort.signal,
    });
    expect(found).toBeNull();
    expect(reports).toEqual([500]);
  });
});
