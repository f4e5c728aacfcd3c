// Changes shared by every instance through Redis pub/sub: a message, a close, a policy change made on
// one instance reaches the event streams and policy caches of all. Listeners read the details from
// the store, so a change is only a nudge: a nudge lost while Redis was away is made good by a
// `resync` to every listener once the subscription is back (streams re-read the log after their
// last id; policy caches drop everything).

import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";
import type { Change, Changes } from "./changes";

export interface RedisChanges extends Changes {
  close(): Promise<void>;
}

/** What a message on the channel may be; anything else (another program on the channel) is dropped. */
function parseChange(text: string): Change | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (raw === null || typeof raw !== "object") return null;
  const change = raw as Partial<Record<string, unknown>>;
  if (change.type === "resync") return { type: "resync" };
  if (typeof change.accountId !== "string") return null;
  if (change.type === "policy") return { type: "policy", accountId: change.accountId };
  if (change.type === "presence") return { type: "presence", accountId: change.accountId };
  if (change.type === "team" && typeof change.userId === "string")
    return { type: "team", accountId: change.accountId, userId: change.userId };
  if (
    change.type === "typing" &&
    typeof change.conversationId === "string" &&
    (change.from === "visitor" || change.from === "agent") &&
    (change.name === null || typeof change.name === "string")
  ) {
    const { accountId, conversationId, from, name } = change;
    return { type: "typing", accountId, conversationId, from, name: name as string | null };
  }
  const conversationId =
    change.conversationId === null || typeof change.conversationId === "string" ? change.conversationId : undefined;
  if (change.type === "event" && conversationId !== undefined && Number.isSafeInteger(change.eventId)) {
    return { type: "event", accountId: change.accountId, conversationId, eventId: change.eventId as number };
  }
  return null;
}

/**
 * `publisher` sends; `subscriber` is a connection of its own (a subscribed Redis connection can do
 * nothing else). A change this instance publishes reaches its own listeners the same way, through
 * Redis, so every instance sees every change in the same order. A policy change is also told here at
 * once: the instance that saved must not answer its own next verdict or preview from the old policy
 * while the message travels (its echo drops the cache entry once more, costing one compile).
 */
export async function redisChanges(publisher: Redis, subscriber: Redis): Promise<RedisChanges> {
  // Channels are not per database number in Redis: naming the number keeps two deployments (or two
  // test servers) on one Redis apart, as their keys are.
  const channel = `hatch:changes:${publisher.options.db ?? 0}`;
  const emitter = new EventEmitter();
  // Every open event stream's account has a listener; many are normal, not a leak.
  emitter.setMaxListeners(0);
  let subscribedOnce = false;
  subscriber.on("message", (from: string, text: string) => {
    if (from !== channel) return;
    const change = parseChange(text);
    if (change) emitter.emit("change", change);
  });
  // ioredis subscribes again after a reconnect; what was published in between was missed.
  subscriber.on("ready", () => {
    if (subscribedOnce) emitter.emit("change", { type: "resync" } satisfies Change);
  });
  await subscriber.subscribe(channel);
  subscribedOnce = true;
  return {
    publish(change) {
      // A failed publish is a missed nudge, made good by the policy cache's expiry and the next change.
      publisher.publish(channel, JSON.stringify(change)).catch(() => undefined);
      if (change.type === "policy") emitter.emit("change", change);
    },
    subscribe(listener) {
      emitter.on("change", listener);
      return () => emitter.off("change", listener);
    },
    async close() {
      emitter.removeAllListeners();
      await subscriber.quit().catch(() => undefined);
    },
  };
}
