// Which chats have a visitor typing now, from the feed's `typing` events: each chat shows it for a
// while after its last event, or until the visitor's message arrives or the chat closes.

import { signal } from "@preact/signals";
import type { ConsoleEvent } from "../events";
import type { Conversation, Message, TypingNotice } from "../types";

/**
 * How long "typing…" stays after the last event. The server passes one at most every 3 s per chat
 * (policy/chat.ts, TYPING_EVERY_MS), so while the visitor keeps typing it does not flicker.
 */
export const TYPING_SHOWN_MS = 5_000;

/**
 * The visitor's side of the typing indicator, for every chat of the account.
 * @example const typing = createTypingModel(); hub.listen(typing.handleEvent); typing.has("conv_1");
 */
export function createTypingModel() {
  const chatIds = signal<ReadonlySet<string>>(new Set());
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  function stop(id: string) {
    clearTimeout(timers.get(id));
    timers.delete(id);
    if (!chatIds.value.has(id)) return;
    const next = new Set(chatIds.value);
    next.delete(id);
    chatIds.value = next;
  }

  function start(id: string) {
    clearTimeout(timers.get(id));
    timers.set(
      id,
      setTimeout(() => stop(id), TYPING_SHOWN_MS),
    );
    if (!chatIds.value.has(id)) chatIds.value = new Set(chatIds.value).add(id);
  }

  return {
    /** Whether the visitor of chat `id` is typing now; read in a component, it follows the changes. */
    has: (id: string) => chatIds.value.has(id),
    handleEvent(event: ConsoleEvent) {
      if (event.type === "typing") {
        const { conversationId } = event.data as TypingNotice;
        if (typeof conversationId === "string") start(conversationId);
      } else if (event.type === "message") {
        const message = event.data as Message;
        if (message.author === "visitor") stop(message.conversationId);
      } else if (event.type === "conversation") {
        const conversation = event.data as Conversation;
        if (conversation.status === "closed") stop(conversation.id);
      }
    },
  };
}
