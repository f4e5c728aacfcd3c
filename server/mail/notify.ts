// What is mailed, and when: the team hears of an offline message (each user who chose it in Options,
// owners by default), and a visitor who left an address gets the agents' answer to it, answers written
// within two minutes of the first in one mail. Both go through the outbox; nothing here sends.

import type { Outbox, Sender } from "../outbox/worker";
import type { AccountStore } from "../store/accounts";
import type { Conversation, ConversationStore, Message } from "../store/conversations";
import { answerLetter, offlineMessageLetter, switchedOffLetter } from "./letters";
import type { Letter, Mailer } from "./mailer";

/** A mail as the outbox keeps it: written already, or an answer written when it goes (the burst is over by then). */
type MailPayload = { letter: Letter } | { answer: { conversationId: string } };

/** Answers an agent writes within this long of the first go in one mail. */
export const ANSWER_BURST_MS = 2 * 60 * 1000;

interface MailDeps {
  outbox: Outbox;
  accounts: AccountStore;
  now(): number;
  config: { smtpUrl: string | null; publicUrl: string };
  log: { error(details: object, message: string): void };
}

/**
 * What a new message of a chat has mailed, when the server has mail: the team told of an offline
 * message, the visitor sent the answer. Best effort: a mail that cannot be queued never fails the message.
 */
export async function mailAbout(deps: MailDeps, conversation: Conversation, message: Message): Promise<void> {
  if (deps.config.smtpUrl === null) return;
  try {
    await mailOfflineMessage(deps, conversation, message, deps.config.publicUrl);
    await mailAnswer(deps, conversation, message);
  } catch (error) {
    deps.log.error({ err: error, conversation: conversation.id }, "mail could not be queued");
  }
}

/** Mails the team a visitor's message written while nobody was online; once per chat and user. */
async function mailOfflineMessage(
  deps: MailDeps,
  conversation: Conversation,
  message: Message,
  publicUrl: string,
): Promise<void> {
  if (!conversation.offline || message.author !== "visitor") return;
  const chatUrl = `${publicUrl}/console/#/chats/${encodeURIComponent(conversation.id)}`;
  const text = message.file ? `[${message.file.name}]` : message.text;
  for (const user of await deps.accounts.listUsers(conversation.accountId)) {
    if (!user.mail.offlineMessages) continue;
    const payload: MailPayload = { letter: offlineMessageLetter(user.email, conversation, text, chatUrl) };
    await deps.outbox.enqueue({
      accountId: conversation.accountId,
      channel: "mail",
      dedupeKey: `offline:${conversation.id}:${user.id}`,
      payload,
    });
  }
}

/** Queues the mail of an agent's answer to an offline message whose visitor left an address, unless one waits. */
async function mailAnswer(deps: MailDeps, conversation: Conversation, message: Message): Promise<void> {
  if (!conversation.offline || conversation.visitorEmail === null || message.author !== "agent") return;
  const sequenceKey = `answer:${conversation.id}`;
  if (await deps.outbox.waiting(sequenceKey)) return;
  const payload: MailPayload = { answer: { conversationId: conversation.id } };
  await deps.outbox.enqueue({
    accountId: conversation.accountId,
    channel: "mail",
    dedupeKey: `answer:${conversation.id}:${message.id}`,
    sequenceKey,
    payload,
    notBefore: deps.now() + ANSWER_BURST_MS,
  });
}

/** The outbox's sender of mail: a letter as it is, an answer written now from the chat so far. */
export function mailSender(mailer: Mailer, conversations: ConversationStore, accounts: AccountStore): Sender {
  return async ({ accountId, payload }) => {
    const mail = payload as MailPayload;
    if ("letter" in mail) {
      await mailer.send(mail.letter);
      return { ok: true };
    }
    const conversation = await conversations.get(accountId, mail.answer.conversationId);
    // Erased since, or the address gone: nothing to send, and nothing to try again.
    if (!conversation || conversation.visitorEmail === null) return { ok: true };
    const messages = (await conversations.messages(conversation.id)).filter((m) => m.author !== "note");
    const team = (await accounts.accountName(accountId)) ?? "The team";
    await mailer.send(answerLetter(conversation.visitorEmail, conversation, messages, team));
    return { ok: true };
  };
}

/** Tells the account's owners that a webhook endpoint was switched off after failing for a day. */
export async function mailSwitchedOff(
  deps: { outbox: Outbox; accounts: AccountStore; config: { publicUrl: string } },
  accountId: string,
  endpointId: string,
  now: number,
): Promise<void> {
  const page = `${deps.config.publicUrl}/console/#/integrations`;
  for (const user of await deps.accounts.listUsers(accountId)) {
    if (user.role !== "owner") continue;
    const payload: MailPayload = { letter: switchedOffLetter(user.email, page) };
    await deps.outbox.enqueue({
      accountId,
      channel: "mail",
      dedupeKey: `switched-off:${endpointId}:${now}:${user.id}`,
      payload,
    });
  }
}
