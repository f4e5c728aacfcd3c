// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { watchIdle } from "../../console/idle";

const MINUTE = 60_000;
const move = () => document.dispatchEvent(new Event("pointermove"));

let stop = () => {};
beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
});
afterEach(() => {
  stop();
  vi.useRealTimers();
});

/** Watches the document with an idle time of 10 minutes, counting calls. */
function watch() {
  const calls = { idle: 0, active: 0 };
  stop = watchIdle(
    document,
    localStorage,
    10 * MINUTE,
    () => calls.idle++,
    () => calls.active++,
  );
  return calls;
}

describe("idle watch", () => {
  it("calls idle once after the idle time without activity, and not before", () => {
    const calls = watch();
    vi.advanceTimersByTime(9 * MINUTE);
    expect(calls.idle).toBe(0);
    vi.advanceTimersByTime(MINUTE + 15_000);
    expect(calls.idle).toBe(1);
    vi.advanceTimersByTime(30 * MINUTE);
    expect(calls.idle).toBe(1);
  });

  it("starts the idle time again at each activity, and reports activity at most every 5 s", () => {
    const calls = watch();
    vi.advanceTimersByTime(8 * MINUTE);
    move();
    move();
    expect(calls.active).toBe(1);
    vi.advanceTimersByTime(8 * MINUTE);
    expect(calls.idle).toBe(0);
    vi.advanceTimersByTime(3 * MINUTE);
    expect(calls.idle).toBe(1);
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "a" }));
    expect(calls.active).toBe(2);
    vi.advanceTimersByTime(10 * MINUTE + 15_000);
    expect(calls.idle).toBe(2);
  });

  it("counts activity another tab of this browser recorded", () => {
    const calls = watch();
    vi.advanceTimersByTime(8 * MINUTE);
    localStorage.setItem("hatch.lastActive", String(Date.now()));
    vi.advanceTimersByTime(8 * MINUTE);
    expect(calls.idle).toBe(0);
    vi.advanceTimersByTime(3 * MINUTE);
    expect(calls.idle).toBe(1);
  });

  it("hears nothing once stopped", () => {
    const calls = watch();
    stop();
    vi.advanceTimersByTime(20 * MINUTE);
    move();
    expect(calls).toEqual({ idle: 0, active: 0 });
  });
});
