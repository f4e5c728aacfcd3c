// The agent's "typing…" indicator as a model, on fake timers: how long it stays, what hides it, and that
// an agent who goes on typing keeps the same value (so a screen reader is not told again).

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAgentTyping } from "../../widget/agent-typing";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("the agent's typing indicator", () => {
  it("shows who is typing, and hides about 5 s after the last event", () => {
    const typing = createAgentTyping();
    expect(typing.typist.value).toBeNull();
    typing.typed("Anna");
    expect(typing.typist.value).toEqual({ name: "Anna" });
    vi.advanceTimersByTime(4_999);
    expect(typing.typist.value).toEqual({ name: "Anna" });
    vi.advanceTimersByTime(1);
    expect(typing.typist.value).toBeNull();
  });

  it("stays while events keep coming every 3 s, as the same value", () => {
    const typing = createAgentTyping();
    typing.typed(null);
    const shown = typing.typist.value;
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(3_000);
      typing.typed(null);
    }
    expect(typing.typist.value).toBe(shown);
    vi.advanceTimersByTime(5_000);
    expect(typing.typist.value).toBeNull();
  });

  it("hides at once when stopped, and the old timer does not hide a later one early", () => {
    const typing = createAgentTyping();
    typing.typed("Anna");
    typing.stop();
    expect(typing.typist.value).toBeNull();
    vi.advanceTimersByTime(3_000);
    typing.typed("Anna");
    vi.advanceTimersByTime(4_000);
    expect(typing.typist.value).toEqual({ name: "Anna" });
  });
});
