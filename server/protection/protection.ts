// server/protection/: limits and bans that act on a visitor's behaviour (rate limits, automatic
// protection, proof of work); above realtime, whose changes its bans announce.
// Automatic protection: a visitor who opens too many chats, writes too fast, or whose chats agents
// keep closing as spam is banned (their browser, and their address unless other browsers share it)
// for the account's banMinutes, by rules authored "automatic protection" that say why, listed and
// removable like any other. The counts live in the store (store/protection.ts), so every instance
// counts the same.

import { announceBanned, announceClosed } from "../webhooks/chat-events";
import { formatIp, parseIp, unmapIpv4, type IpAddress } from "../../policy/ip";
import type { RuleKind } from "../../policy/rules";
import type { CompiledPolicy } from "../../policy/verdict";
import type { Protection, Screening } from "../../policy/schema";
import type { Deps } from "../deps";
import { unavailable } from "../http/errors";
import { conversationEvent } from "../realtime/changes";
import type { Conversation } from "../store/conversations";
import type { Tally } from "../store/protection";
import { ban } from "./bans";
import { addressKey, tooMany } from "./rate-limit";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The account's protection, and screening's count of abusive messages before a ban. */
type Limits = Protection & Pick<Screening, "abusiveMessages">;

/**
 * What is counted, over which window, when it bans, and how the ban's comment says it. Chats and
 * messages are allowed up to their limit ("more than 6 chats an hour"); spam closes ban on reaching
 * it ("closed as spam twice"). `byAddress`: counted for the address too, so a browser that changes
 * its id is still caught; not for judgements of what a person wrote (spam closes, abusive messages),
 * where a stranger's messages on a shared address would get the next person banned for one word.
 */
const ACTS = {
  chat: {
    windowMs: HOUR_MS,
    bans: (n: number, p: Limits) => n > p.chatsPerHour,
    says: "opened",
    noun: ["chat", "chats"],
    byAddress: true,
  },
  message: {
    windowMs: MINUTE_MS,
    bans: (n: number, p: Limits) => n > p.messagesPerMinute,
    says: "sent",
    noun: ["message", "messages"],
    byAddress: true,
  },
  spam: {
    windowMs: DAY_MS,
    bans: (n: number, p: Limits) => n >= p.spamCloses,
    says: "had",
    noun: ["chat closed as spam", "chats closed as spam"],
    byAddress: false,
  },
  // Screening found abusive words (server/screening/): banned on reaching the owner's count, 0 never.
  abuse: {
    windowMs: HOUR_MS,
    bans: (n: number, p: Limits) => p.abusiveMessages > 0 && n >= p.abusiveMessages,
    says: "sent",
    noun: ["abusive message", "abusive messages"],
    byAddress: false,
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

/** What an automatic ban does beyond banning the browser, and why. */
interface Sanction {
  /** The rule's comment after "Automatic protection: ", and the agents' notice after "Hatch banned a visitor for N minutes: ". */
  why: { comment: string; notice: string };
  /** Whether the address (as counted: IPv4, or an IPv6 /64) is banned with the browser: no other browser shares it. */
  banAddress: boolean;
  /** The address as counted, when other browsers share it and it went past its limit: challenged instead of banned. */
  challenge: string | null;
}

/**
 * Counts one act; when it goes past the account's limit, bans the browser that acted and refuses the
 * act (403 unavailable, as any hidden visitor gets). The address is banned with the browser only
 * when no other browser shares it; one that other browsers share (an office, a carrier's NAT) and
 * that went past its limit is challenged for banMinutes instead, so a stranger there cannot get
 * everyone else hidden. The counts a ban answers are forgotten, so they cannot ban again once it
 * ends.
 */
export async function countAct(
  deps: Deps,
  policy: Pick<CompiledPolicy, "protection" | "screening">,
  act: Act,
  actor: Actor,
): Promise<void> {
  const { protection } = policy;
  const limits: Limits = { ...protection, abusiveMessages: policy.screening.abusiveMessages };
  const { windowMs, bans, byAddress } = ACTS[act];
  const now = deps.now();
  const address = countsAddress(actor.ip) ? addressKey(actor.ip) : null;
  const challenged =
    address !== null && (await deps.challengedAddresses.challenged(actor.accountId, address, now)) ? address : null;
  const throttled = challenged !== null && act === "chat" ? [`chat:c:${challenged}`] : [];
  await throttle(deps, protection, actor.accountId, throttled, now);
  const browserKey = `${act}:v:${actor.visitorId}`;
  // A challenged address counts toward no ban: its challenge and throttle answer it.
  const addressKeys = byAddress && address !== null && challenged === null ? [`${act}:a:${address}`] : [];
  const keys = [browserKey, ...addressKeys];
  const counted = await deps.protection.hit(
    actor.accountId,
    actor.visitorId,
    [...keys, ...throttled],
    now,
    now - windowMs,
  );
  const tallies = counted.slice(0, keys.length);
  const [browserOver = false, addressOver = false] = tallies.map((tally) => bans(tally.count, limits));
  // The browser's own count when it went past the limit, else its address's.
  const tripped = tallies.find((tally) => bans(tally.count, limits));
  if (tripped === undefined) return;
  // An address past its limit while the browser is not has other browsers behind it.
  const shared =
    address !== null && (challenged !== null || !browserOver || (await sharedAddress(deps, actor, address)));
  const text = reasonText(act, tripped, now);
  const comment = browserOver ? text : `browsers at ${address} ${text}, the last one theirs`;
  await banAutomatically(deps, protection, actor, {
    why: { comment, notice: browserOver ? `they ${text}` : comment },
    banAddress: address !== null && !shared,
    challenge: shared && addressOver ? address : null,
  });
  await deps.protection.forget(actor.accountId, addressOver || !shared ? keys : [browserKey]);
  if (act !== "spam") throw unavailable();
}

/**
 * New chats from a challenged address (`keys`, none when it is not): at most chatsPerHour an hour
 * among all its browsers, each of which solved a proof of work, else 429 until the oldest leaves
 * the hour. A browser rotating its id there gets no more chats than the limit; refused ones are
 * not counted, so however hard one knocks the others still get their share.
 */
async function throttle(deps: Deps, protection: Protection, accountId: string, keys: string[], now: number) {
  if (keys.length === 0) return;
  const [recent] = await deps.protection.count(accountId, keys, now - HOUR_MS);
  if (recent !== undefined && recent.count >= protection.chatsPerHour)
    throw tooMany("new chats from this address", recent.first + HOUR_MS - now);
}

/** Whether other browsers act from this address: counted there within the hour, or with a chat open from it. */
async function sharedAddress(deps: Deps, actor: Actor, address: string): Promise<boolean> {
  const keys = (["chat", "message"] as const).map((act) => `${act}:a:${address}`);
  if ((await deps.protection.browsers(actor.accountId, keys, deps.now() - HOUR_MS)) > 1) return true;
  const open = await deps.conversations.openOf(actor.accountId, actor.visitorId, formatIp(actor.ip));
  return open.some((conversation) => conversation.visitorId !== actor.visitorId);
}

/**
 * The rules, the challenge, the banned browser's chats closed, and the notice agents see. A ban that
 * live rules already made (another instance, a moment before) is not told twice.
 */
async function banAutomatically(deps: Deps, protection: Protection, actor: Actor, sanction: Sanction): Promise<void> {
  const now = deps.now();
  const until = now + protection.banMinutes * MINUTE_MS;
  const scopes: RuleKind[] = ["visitor"];
  // The address as it was counted: an IPv6 visitor's /64, where its next address would come from.
  if (sanction.banAddress) scopes.push(unmapIpv4(actor.ip).version === 4 ? "address" : "network");
  const { why } = sanction;
  const rules = await ban(
    deps,
    actor.accountId,
    { visitorId: actor.visitorId, visitorIp: formatIp(actor.ip) },
    scopes,
    {
      comment: `Automatic protection: ${why.comment}.`,
      author: { kind: "automatic", conversationId: actor.conversation?.id ?? null },
      expiresAt: until,
    },
    now,
  );
  if (sanction.challenge !== null) await deps.challengedAddresses.challenge(actor.accountId, sanction.challenge, until);
  if (!rules.some((rule) => rule.created) && sanction.challenge === null) return;
  // The banned browser's chats end with the ban: agents are not left with requests from someone who
  // can no longer read the answer. Other browsers' chats go on, even from a challenged address.
  const address = sanction.banAddress ? formatIp(actor.ip) : "";
  for (const open of await deps.conversations.openOf(actor.accountId, actor.visitorId, address)) {
    const closed = await deps.conversations.close(open.accountId, open.id, "blocked", now);
    if (!closed) continue;
    deps.changes.publish(conversationEvent(closed.conversation, closed.eventId));
    await announceClosed(deps, closed.conversation);
  }
  const challenged =
    sanction.challenge === null
      ? ""
      : ` Other browsers share ${sanction.challenge}, so it is not banned: for ${protection.banMinutes} minutes, new chats from it need a proof of work, ${protection.chatsPerHour} an hour at most.`;
  const eventId = await deps.conversations.appendAccountEvent(
    actor.accountId,
    "protection",
    {
      message: `Hatch banned a visitor for ${protection.banMinutes} minutes: ${why.notice}.${challenged}`,
      rules,
      conversationId: actor.conversation?.id ?? null,
    },
    now,
  );
  deps.changes.publish({ type: "event", accountId: actor.accountId, conversationId: null, eventId });
  deps.log.info({ account: actor.accountId, reason: why.comment, challenged: sanction.challenge }, "automatic ban");
  await announceBanned(
    deps,
    actor.accountId,
    { by: null, chatId: actor.conversation?.id ?? null, rules, reason: why.comment },
    String(eventId),
  );
}

/** A chat closed as spam: counted for its visitor, who is banned once it happens spamCloses times in a day. */
export async function countSpam(deps: Deps, conversation: Conversation): Promise<void> {
  const policy = await deps.policyCache.get(conversation.accountId);
  const ip = parseIp(conversation.visitorIp);
  if (!policy || !ip.ok) return;
  await countAct(deps, policy, "spam", {
    accountId: conversation.accountId,
    visitorId: conversation.visitorId,
    ip: ip.address,
    conversation,
  });
}
