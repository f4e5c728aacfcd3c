// Automatic protection: a visitor who opens too many chats, writes too fast, or whose chats agents
// keep closing as spam is banned (their browser and their address) for the account's banMinutes,
// by rules authored "automatic protection" that say why, listed and removable like any other.
// The counts live in the store (store/protection.ts), so every instance counts the same.

import { formatIp, parseIp, unmapIpv4, type IpAddress } from "../policy/ip";
import type { RuleKind } from "../policy/rules";
import type { Protection } from "../policy/schema";
import { ban, type BanRule } from "./bans";
import { conversationEvent } from "./changes";
import type { Deps } from "./deps";
import { unavailable } from "./errors";
import { addressKey } from "./rate-limit";
import type { Conversation } from "./store/conversations";
import type { Tally } from "./store/protection";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * What is counted, over which window, when it bans, and how the ban's comment says it. Chats and
 * messages are allowed up to their limit ("more than 6 chats an hour"); spam closes ban on reaching
 * it ("closed as spam twice").
 */
const ACTS = {
  chat: {
    windowMs: HOUR_MS,
    bans: (n: number, p: Protection) => n > p.chatsPerHour,
    says: "opened",
    noun: ["chat", "chats"],
  },
  message: {
    windowMs: MINUTE_MS,
    bans: (n: number, p: Protection) => n > p.messagesPerMinute,
    says: "sent",
    noun: ["message", "messages"],
  },
  spam: {
    windowMs: DAY_MS,
    bans: (n: number, p: Protection) => n >= p.spamCloses,
    says: "had",
    noun: ["chat closed as spam", "chats closed as spam"],
  },
} as const;

type Act = keyof typeof ACTS;

/** The visitor an act is counted for: their browser, the address they act from, the chat if there is one. */
export interface Actor {
  accountId: string;
  visitorId: string;
  ip: IpAddress;
  conversation: Conversation | null;
}

/**
 * Loopback is this machine or a proxy on it (TRUST_PROXY not set), never one visitor: counting it
 * would ban everyone behind it, so only the browser is counted and banned.
 */
function countsAddress(ip: IpAddress): boolean {
  const address = unmapIpv4(ip);
  return address.version === 4 ? address.value >>> 24 !== 127 : formatIp(address) !== "::1";
}

/** "opened 7 chats in 40 minutes": how the rule's comment tells co-workers why. */
function reasonText(act: Act, { count, first }: Tally, now: number): string {
  const { says, noun } = ACTS[act];
  const minutes = Math.max(1, Math.ceil((now - first) / MINUTE_MS));
  const span = minutes >= 120 ? `${Math.round(minutes / 60)} hours` : minutes === 1 ? "a minute" : `${minutes} minutes`;
  return `${says} ${count} ${count === 1 ? noun[0] : noun[1]} in ${span}`;
}

/**
 * Counts one act; when it goes past the account's limit, bans the actor and refuses the act (403
 * unavailable, as any hidden visitor gets). Spam closes are counted by browser only: they are an
 * agent's judgement of a person, not of everyone behind their address.
 */
export async function countAct(deps: Deps, protection: Protection, act: Act, actor: Actor): Promise<void> {
  const { windowMs, bans } = ACTS[act];
  const now = deps.now();
  const keys = [`${act}:v:${actor.visitorId}`];
  if (act !== "spam" && countsAddress(actor.ip)) keys.push(`${act}:a:${addressKey(actor.ip)}`);
  const tallies = await deps.protection.hit(actor.accountId, keys, now, now - windowMs);
  const worst = tallies.reduce((a, b) => (b.count > a.count ? b : a));
  if (!bans(worst.count, protection)) return;
  await banAutomatically(deps, protection, actor, reasonText(act, worst, now));
  if (act !== "spam") throw unavailable();
}

/** The rules, the closed chat, and the notice agents see. */
async function banAutomatically(deps: Deps, protection: Protection, actor: Actor, reason: string): Promise<BanRule[]> {
  const now = deps.now();
  const scopes: RuleKind[] = countsAddress(actor.ip) ? ["visitor", "address"] : ["visitor"];
  const rules = await ban(
    deps,
    actor.accountId,
    { visitorId: actor.visitorId, visitorIp: formatIp(actor.ip) },
    scopes,
    {
      comment: `Automatic protection: ${reason}.`,
      author: { kind: "automatic", conversationId: actor.conversation?.id ?? null },
      expiresAt: now + protection.banMinutes * MINUTE_MS,
    },
    now,
  );
  // Every chat still open from this browser (or this address, when it is banned too) ends with the
  // ban: agents are not left with requests from someone who can no longer read the answer.
  const address = scopes.includes("address") ? formatIp(actor.ip) : "";
  for (const open of await deps.conversations.openOf(actor.accountId, actor.visitorId, address)) {
    const closed = await deps.conversations.close(open.accountId, open.id, "blocked", now);
    if (closed) deps.changes.publish(conversationEvent(closed.conversation, closed.eventId));
  }
  const open = actor.conversation;
  const eventId = await deps.conversations.appendAccountEvent(
    actor.accountId,
    "protection",
    {
      message: `Hatch banned a visitor for ${protection.banMinutes} minutes: they ${reason}.`,
      rules,
      conversationId: open?.id ?? null,
    },
    now,
  );
  deps.changes.publish({ type: "event", accountId: actor.accountId, conversationId: null, eventId });
  deps.log.info({ account: actor.accountId, reason }, "automatic ban");
  return rules;
}

/** A chat closed as spam: counted for its visitor, who is banned once it happens spamCloses times in a day. */
export async function countSpam(deps: Deps, conversation: Conversation): Promise<void> {
  const policy = await deps.policyCache.get(conversation.accountId);
  const ip = parseIp(conversation.visitorIp);
  if (!policy || !ip.ok) return;
  await countAct(deps, policy.protection, "spam", {
    accountId: conversation.accountId,
    visitorId: conversation.visitorId,
    ip: ip.address,
    conversation,
  });
}
