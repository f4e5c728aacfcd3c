// Changes through Redis: every instance hears every change, its own included, and a policy change is
// heard by the instance that made it before publish() returns (read-your-writes for verdicts).
import { Redis } from "ioredis";
import { afterEach, expect, it } from "vitest";
import type { Change } from "../../../server/realtime/changes";
import { redisChanges, type RedisChanges } from "../../../server/realtime/redis-changes";
import { sharedServicesEnv } from "../shared-services";

const opened: RedisChanges[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((changes) => changes.close()));
});

async function instance(url: string): Promise<{ changes: RedisChanges; heard: Change[] }> {
  const publisher = new Redis(url);
  const changes = await redisChanges(publisher, new Redis(url));
  opened.push({ ...changes, close: () => changes.close().then(() => publisher.quit().then(() => undefined)) });
  const heard: Change[] = [];
  changes.subscribe((change) => heard.push(change));
  return { changes, heard };
}

it("tells a policy change to its own instance at once, and to every instance through Redis", async () => {
  const { REDIS_URL } = await sharedServicesEnv();
  const a = await instance(REDIS_URL);
  const b = await instance(REDIS_URL);
  const change: Change = { type: "policy", accountId: "acme" };
  a.changes.publish(change);
  // Synchronously: no Redis round trip has happened yet.
  expect(a.heard).toEqual([change]);
  await expect.poll(() => b.heard).toEqual([change]);
  // A's echo arrives too, a harmless second drop of the cache entry.
  await expect.poll(() => a.heard).toEqual([change, change]);
});

it("delivers an event change through Redis only, so every instance sees events in one order", async () => {
  const { REDIS_URL } = await sharedServicesEnv();
  const a = await instance(REDIS_URL);
  const change: Change = { type: "event", accountId: "acme", conversationId: "conv_1", eventId: 7 };
  a.changes.publish(change);
  expect(a.heard).toEqual([]);
  await expect.poll(() => a.heard).toEqual([change]);
});

it("carries typing and presence changes between instances, and drops malformed ones", async () => {
  const { REDIS_URL } = await sharedServicesEnv();
  const a = await instance(REDIS_URL);
  const b = await instance(REDIS_URL);
  const typing: Change = { type: "typing", accountId: "acme", conversationId: "conv_1", from: "agent", name: "Anna" };
  const presence: Change = { type: "presence", accountId: "acme" };
  // A malformed one first: were it let through, it would come before the others.
  const raw = new Redis(REDIS_URL);
  const channel = `hatch:changes:${raw.options.db ?? 0}`;
  await raw.publish(channel, JSON.stringify({ type: "typing", accountId: "acme", conversationId: 7, from: "x" }));
  await raw.quit();
  a.changes.publish(typing);
  a.changes.publish(presence);
  await expect.poll(() => b.heard).toEqual([typing, presence]);
});
