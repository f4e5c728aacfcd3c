// The unread count as a model over a transcript: the agent's messages after the stored mark count, the
// visitor's and notices never do, reading moves the mark, and a chat replayed on the next page load
// counts only what came since.

import { signal } from "@preact/signals";
import { describe, expect, it } from "vitest";
import { createUnread } from "../../widget/unread";
import type { LogItem } from "../../widget/visitor-chat";
import { message } from "./fakes";

const said = (id: number, author: "visitor" | "agent" = "agent"): LogItem => ({
  type: "message",
  key: `m${id}`,
  message: message(id, `message ${id}`, author),
});
const joined: LogItem = { type: "notice", key: "active", text: "An agent has joined" };

function setUp(stored: string | null = null) {
  const items = signal<readonly LogItem[]>([]);
  const memory = { value: stored, load: () => memory.value, save: (mark: string) => (memory.value = mark) };
  return { items, memory, unread: createUnread(items, memory) };
}

describe("unread messages", () => {
  it("counts the agent's messages only", () => {
    const { items, unread } = setUp();
    items.value = [said(1, "visitor"), joined, said(2), said(3, "visitor"), said(4)];
    expect(unread.count.value).toBe(2);
  });

  it("counts none once read, and remembers the last one read", () => {
    const { items, memory, unread } = setUp();
    items.value = [said(1, "visitor"), said(2)];
    unread.read();
    expect(unread.count.value).toBe(0);
    expect(memory.value).toBe("2");
    items.value = [...items.value, said(3)];
    expect(unread.count.value).toBe(1);
  });

  it("counts, in a chat replayed from its start, only what came after the stored mark", () => {
    const { items, unread } = setUp("2");
    items.value = [said(1, "visitor"), said(2), said(5, "visitor"), said(6)];
    expect(unread.count.value).toBe(1);
  });

  it("writes nothing when there is nothing new to read", () => {
    const { items, memory, unread } = setUp("7");
    items.value = [said(2), said(7)];
    unread.read();
    expect(memory.value).toBe("7");
    items.value = [said(8, "visitor")];
    unread.read();
    expect(memory.value).toBe("7");
  });

  it("follows a mark moved by another tab, never back", () => {
    const { items, memory, unread } = setUp("1");
    items.value = [said(2), said(3)];
    memory.value = "3";
    unread.reload();
    expect(unread.count.value).toBe(0);
    memory.value = "1";
    unread.reload();
    expect(unread.count.value).toBe(0);
  });
});
