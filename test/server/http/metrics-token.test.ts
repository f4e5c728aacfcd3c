// The metrics bearer token is compared in a time that tells neither how much of it matched nor its length.
import { describe, expect, it, vi } from "vitest";

const compared = vi.hoisted(() => [] as [number, number][]);
vi.mock("node:crypto", async (original) => {
  const crypto = await original<typeof import("node:crypto")>();
  return {
    ...crypto,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      compared.push([a.byteLength, b.byteLength]);
      return crypto.timingSafeEqual(a, b);
    },
  };
});

const { sameToken } = await import("../../../server/routes/operations");

const TOKEN = "metrics-token-for-the-test";

describe("the metrics token comparison", () => {
  it.each([
    ["the token", TOKEN, true],
    ["an empty token", "", false],
    ["one character", "m", false],
    ["a prefix of it", TOKEN.slice(0, -1), false],
    ["the token and more", `${TOKEN}x`, false],
    ["a thousand characters", "x".repeat(1000), false],
  ])("compares %s in full, as 32 bytes against 32 bytes", (_name, given, same) => {
    compared.length = 0;
    expect(sameToken(given, TOKEN)).toBe(same);
    expect(compared).toEqual([[32, 32]]);
  });
});
