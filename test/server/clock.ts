// A clock a test moves instead of waiting: the server is given it when it starts (Seams in server/deps.ts).

export interface TestClock {
  now(): number;
  /** From now on the server's time runs `ms` ahead of the real one (added to what was skipped before). */
  skip(ms: number): void;
  /** Back to the real time. */
  reset(): void;
}

export function testClock(): TestClock {
  let ahead = 0;
  return {
    now: () => Date.now() + ahead,
    skip(ms) {
      ahead += ms;
    },
    reset() {
      ahead = 0;
    },
  };
}
