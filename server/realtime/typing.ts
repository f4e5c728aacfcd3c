// Typing indicators: each side's "typing…" passed to the other's streams at most once every few
// seconds per chat, however often a client asks; never stored (changes.ts, Typing).

import { TYPING_EVERY_MS } from "../../policy/chat";
import type { Changes } from "./changes";
import { MAX_TYPING_REMEMBERED } from "../limits";

export interface TypingGate {
  /** Whether `from` was told of lately in this chat: the route then answers without reading the store. */
  quiet(chatId: string, from: "visitor" | "agent"): boolean;
  /** Tells the other side that `from` is typing in the chat, unless it was told lately. */
  typing(chat: { accountId: string; id: string }, from: "visitor" | "agent", name: string | null): void;
}

export function typingGate(changes: Changes, clock: () => number): TypingGate {
  const last = new Map<string, number>();
  return {
    quiet(chatId, from) {
      const before = last.get(`${chatId}:${from}`);
      return before !== undefined && clock() - before < TYPING_EVERY_MS;
    },
    typing(chat, from, name) {
      const key = `${chat.id}:${from}`;
      const now = clock();
      const before = last.get(key);
      if (before !== undefined && now - before < TYPING_EVERY_MS) return;
      if (last.size >= MAX_TYPING_REMEMBERED) last.clear();
      last.set(key, now);
      changes.publish({ type: "typing", accountId: chat.accountId, conversationId: chat.id, from, name });
    },
  };
}
