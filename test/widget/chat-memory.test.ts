// @vitest-environment happy-dom
// The open chat kept in the page's storage: its id with its secret, and nothing that could not resume.
import { beforeEach, describe, expect, it } from "vitest";
import { chatMemory } from "../../widget/chat-memory";
import { CONVERSATION, REMEMBERED, SECRET } from "./fakes";

const KEY = "hatch:acme:conversation";
const memory = chatMemory(KEY);

beforeEach(() => localStorage.clear());

describe("the chat memory", () => {
  it("keeps the chat's id and secret together, and forgets them on null", () => {
    memory.save({ id: CONVERSATION, secret: SECRET });
    expect(localStorage.getItem(KEY)).toBe(REMEMBERED);
    expect(memory.load()).toEqual({ id: CONVERSATION, secret: SECRET });
    memory.save(null);
    expect(localStorage.getItem(KEY)).toBeNull();
  });

  it.each([
    ["a bare id, as kept before chats had secrets", CONVERSATION],
    ["an id without its secret", JSON.stringify({ id: CONVERSATION })],
    ["a secret that is not text", JSON.stringify({ id: CONVERSATION, secret: 42 })],
    ["null", "null"],
  ])("forgets %s, which can resume nothing", (_, kept) => {
    localStorage.setItem(KEY, kept);
    expect(memory.load()).toBeNull();
    expect(localStorage.getItem(KEY)).toBeNull();
  });
});
