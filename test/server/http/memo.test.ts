import { describe, expect, it } from "vitest";
import { BoundedMemo } from "../../../server/http/memo";

describe("BoundedMemo", () => {
  it("computes a key once while it is remembered", () => {
    const memo = new BoundedMemo<string, number>(10);
    let computed = 0;
    const length = (key: string) => memo.get(key) ?? memo.set(key, (computed++, key.length));
    expect([length("a"), length("bb"), length("a")]).toEqual([1, 2, 1]);
    expect(computed).toBe(2);
  });

  it("never holds more than its bound under a flood of new keys, and starts afresh when full", () => {
    const memo = new BoundedMemo<number, number>(100);
    let largest = 0;
    for (let key = 0; key < 100_000; key++) {
      memo.set(key, key * 2);
      largest = Math.max(largest, memo.size);
    }
    expect(largest).toBe(100);
    // The last key filled a fresh memo: 100,000 is a multiple of 100, so it holds exactly the last 100.
    expect(memo.size).toBe(100);
    expect(memo.get(99_999)).toBe(199_998);
    expect(memo.get(0)).toBeUndefined();
  });
});
