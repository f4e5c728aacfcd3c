// What the team's other systems hear of: each chat started, message, close and offline message, each
// ban, rule change and refused file, as webhook events (and a new message's mail, mail/notify.ts).
// Called where each happens, after it is stored; nothing here can fail what happened.

import type { Deps } from "../deps";
import { mailAbout, mailIfUnanswered } from "../mail/notify";
import type { Conversation, Message } from "../store/conversations";
import { emitWebhook } from "./events";

/** A chat as a receiver reads it: what the console shows of it, the secret and internal fields aside. */
function chatData(conversation: Conversation) {
  const { id, status, visitorId, visitorIp, visitorCountry, page, createdAt, closedAt, closedReason, offline } =
    conversation;
  const { visitorName, visitorEmail, agentUserId } = conversation;
  return {
    id,
    status,
    visitorId,
    visitorIp,
    visitorCountry,
    page,
    createdAt,
    closedAt,
    closedReason,
    offline,
    visitorName,
    visitorEmail,
    agentUserId,
  };
}

function messageData(message: Message) {
  const file = message.file && { name: message.file.name, size: message.file.size, kind: message.file.kind };
  return {
    id: message.id,
    chatId: message.conversationId,
    author: message.author,
    userId: message.userId,
    text: message.text,
    file,
    createdAt: message.createdAt,
    // What screening found, for a receiver to mask or defuse as the console does; card numbers are masked in `text` already.
    screening: message.screening,
  };
}

export async function announceStarted(deps: Deps, conversation: Conversation): Promise<void> {
  await mailIfUnanswered(deps, conversation);
  await emitWebhook(deps, conversation.accountId, {
    type: "chat.started",
    id: `chat.started:${conversation.id}`,
    chatId: conversation.id,
    data: { chat: chatData(conversation) },
  });
}

/** A visitor's or agent's message (never a note): mailed as it should be, and sent to webhooks. */
export async function announceMessage(deps: Deps, conversation: Conversation, message: Message): Promise<void> {
  await mailAbout(deps, conversation, message);
  const data = { chat: chatData(conversation), message: messageData(message) };
  await emitWebhook(deps, conversation.accountId, {
    type: "chat.message",
    id: `chat.message:${message.id}`,
    chatId: conversation.id,
    data,
  });
  // Its first visitor message makes a chat written while nobody was online an offline message: once.
  if (conversation.offline && message.author === "visitor")
    await emitWebhook(deps, conversation.accountId, {
      type: "chat.offline_message",
      id: `chat.offline_message:${conversation.id}`,
      chatId: conversation.id,
      data,
    });
}

export async function announceClosed(deps: Deps, conversation: Conversation): Promise<void> {
  await emitWebhook(deps, conversation.accountId, {
    type: "chat.closed",
    id: `chat.closed:${conversation.id}`,
    chatId: conversation.id,
    data: { chat: chatData(conversation) },
  });
}

/** A visitor banned: `by` an agent (their user id) or automatic protection (null), with the rules made. */
export async function announceBanned(
  deps: Deps,
  accountId: string,
  ban: { by: string | null; chatId: string | null; rules: unknown; reason: string },
  id: string,
): Promise<void> {
  await emitWebhook(deps, accountId, {
    type: "visitor.banned",
    id: `visitor.banned:${id}`,
    chatId: ban.chatId,
    data: {
      by: ban.by === null ? { kind: "automatic" } : { kind: "agent", userId: ban.by },
      chatId: ban.chatId,
      rules: ban.rules,
      reason: ban.reason,
    },
  });
}

/** A rule or the policy changed, as the audit log records it (`id`: the audit entry's). */
export async function announceRuleChanged(deps: Deps, accountId: string, change: unknown, id: string): Promise<void> {
  await emitWebhook(deps, accountId, { type: "rule.changed", id: `rule.changed:${id}`, data: change });
}

/** A file refused on upload (413/415): who sent it, its name as given, and why. */
export async function announceFileRefused(
  deps: Deps,
  conversation: Conversation,
  refusal: { author: "visitor" | "agent"; name: string; code: string; message: string },
  id: string,
): Promise<void> {
  await emitWebhook(deps, conversation.accountId, {
    type: "file.refused",
    id: `file.refused:${id}`,
    chatId: conversation.id,
    data: { chat: chatData(conversation), file: refusal },
  });
}
