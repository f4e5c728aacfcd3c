// The one small interface through which realtime fan-out and policy-cache invalidation travel.
// In-process here for one instance; redis-changes.ts carries it between many.

import { EventEmitter } from "node:events";

/**
 * A change worth telling listeners about. Listeners read the details from the store. `resync` says
 * changes may have been missed (the shared channel was away): every listener catches up from the store.
 */
export type Change =
  | { type: "event"; accountId: string; conversationId: string | null; eventId: number }
  | { type: "policy"; accountId: string }
  | { type: "presence"; accountId: string }
  /** A user's sessions ended or their role changed: their open consoles check their session again. */
  | { type: "team"; accountId: string; userId: string }
  | Typing
  | { type: "resync" };

/** The change that tells streams a conversation's event log grew. */
export function conversationEvent(conversation: { accountId: string; id: string }, eventId: number): Change {
  return { type: "event", accountId: conversation.accountId, conversationId: conversation.id, eventId };
}

/**
 * Someone typing in a chat: passed on to the other side's open streams and never stored, so it
 * neither fills the event log nor comes back on a reconnect.
 */
interface Typing {
  type: "typing";
  accountId: string;
  conversationId: string;
  from: "visitor" | "agent";
  /** The agent's display name; null for a visitor, or an agent who set none. */
  name: string | null;
}

export interface Changes {
  publish(change: Change): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: (change: Change) => void): () => void;
}

export function inProcessChanges(): Changes {
  const emitter = new EventEmitter();
  // Every open event stream listens; thousands of them are normal, not a leak.
  emitter.setMaxListeners(0);
  return {
    publish: (change) => emitter.emit("change", change),
    subscribe(listener) {
      emitter.on("change", listener);
      return () => emitter.off("change", listener);
    },
  };
}
