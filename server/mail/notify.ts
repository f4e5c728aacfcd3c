// What is mailed, and when: the team hears of an offline message (each user who chose it in Options,
// owners by default), and a visitor who left an address gets the agents' answer to it, answers written
// within two minutes of the first in one mail. Both go through the outbox; nothing here sends.

import { addressViewOf } from "../../policy/address-view";
import { maskedText } from "../../policy/screened-text";
import type { Outbox, Sender } from "../outbox/worker";
import type { AccountStore, User } from "../store/accounts";
import type { PolicyStore } from "../store/policies";
import type { Conversation, ConversationStore, Message } from "../store/conversations";
import type { RuleStore } from "../store/rules";
import { answerLetter, digestLetter, offlineMessageLetter, switchedOffLetter, unansweredLetter } from "./letters";
import type { Letter, Mailer } from "./mailer";

/**
 * A mail as the outbox keeps it: written already; or written when it goes, from what is true then: an
 * answer (the burst is over by then), a chat still unanswered (else nothing goes), a day's digest.
 */
type MailPayload =
  | { letter: Letter }
  | { answer: { conversationId: string } }
  | { unanswered: { conversationId: string; userId: string } }
  | { digest: { userId: string } };

/** The digest goes each day at this hour, UTC: before a European working day, after an American one. */
const DIGEST_HOUR_UTC = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Answers an agent writes within this long of the first go in one mail. */
export const ANSWER_BURST_MS = 2 * 60 * 1000;

interface MailDeps {
  outbox: Outbox;
  accounts: AccountStore;
  policies: Pick<PolicyStore, "getPolicy">;
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

/** The chat in the console, for a mail's link. */
const chatUrlOf = (publicUrl: string, id: string) => `${publicUrl}/console/#/chats/${encodeURIComponent(id)}`;

/** The chat as `user` reads it: an agent reads the visitor's address as its network where the owners chose so. */
async function chatAsRead(
  deps: { policies: Pick<PolicyStore, "getPolicy"> },
  user: Pick<User, "role">,
  conversation: Conversation,
): Promise<Conversation> {
  if (user.role === "owner") return conversation;
  const stored = await deps.policies.getPolicy(conversation.accountId);
  return addressViewOf(user.role, stored?.document.agentsSeeAddresses).shown(conversation);
}

/** Mails the team a visitor's message written while nobody was online; once per chat and user. */
async function mailOfflineMessage(
  deps: MailDeps,
  conversation: Conversation,
  message: Message,
  publicUrl: string,
): Promise<void> {
  if (!conversation.offline || message.author !== "visitor") return;
  const chatUrl = chatUrlOf(publicUrl, conversation.id);
  // Masked words stay masked in mail, as agents first read them in the console; links are defanged.
  const text = message.file ? `[${message.file.name}]` : maskedText(message.text, message.screening, "defanged");
  for (const user of await deps.accounts.listUsers(conversation.accountId)) {
    if (!user.mail.offlineMessages) continue;
    const chat = await chatAsRead(deps, user, conversation);
    const payload: MailPayload = { letter: offlineMessageLetter(user.email, chat, text, chatUrl) };
    await deps.outbox.enqueue({
      accountId: conversation.accountId,
      channel: "mail",
      dedupeKey: `offline:${conversation.id}:${user.id}`,
      payload,
      conversationId: conversation.id,
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
    // One per burst window: answers written at the same instant (two agents) both find none waiting,
    // and queue one mail, not two. An answer after the window finds the mail waiting, or being sent
    // (then its own, in a later window), so none is left out.
    dedupeKey: `answer:${conversation.id}:${Math.floor(deps.now() / ANSWER_BURST_MS)}`,
    sequenceKey,
    payload,
    notBefore: deps.now() + ANSWER_BURST_MS,
    conversationId: conversation.id,
  });
}

/** Queues, for each user who chose it, a mail should a new chat request still wait after their minutes. */
export async function mailIfUnanswered(deps: MailDeps, conversation: Conversation): Promise<void> {
  if (deps.config.smtpUrl === null) return;
  try {
    await queueUnanswered(deps, conversation);
  } catch (error) {
    deps.log.error({ err: error, conversation: conversation.id }, "mail could not be queued");
  }
}

async function queueUnanswered(deps: MailDeps, conversation: Conversation): Promise<void> {
  for (const user of await deps.accounts.listUsers(conversation.accountId)) {
    const minutes = user.mail.unansweredMinutes;
    if (minutes === null) continue;
    const payload: MailPayload = { unanswered: { conversationId: conversation.id, userId: user.id } };
    await deps.outbox.enqueue({
      accountId: conversation.accountId,
      channel: "mail",
      dedupeKey: `unanswered:${conversation.id}:${user.id}`,
      payload,
      notBefore: deps.now() + minutes * 60_000,
      conversationId: conversation.id,
    });
  }
}

/**
 * At start: queues the next digest of every owner who chose it. Each digest queues the next, but an owner
 * who chose it while the server had no mail has none queued; this starts their chain once SMTP_URL is set.
 */
export async function resumeDigests(deps: Pick<MailDeps, "outbox" | "config" | "accounts" | "now">): Promise<void> {
  if (deps.config.smtpUrl === null) return;
  for (const owner of await deps.accounts.digestOwners()) await scheduleDigest(deps, owner, deps.now());
}

/** Queues an owner's next daily digest, at the next DIGEST_HOUR_UTC; once a day however often it is asked. */
export async function scheduleDigest(
  deps: Pick<MailDeps, "outbox" | "config">,
  user: { id: string; account_id: string },
  now: number,
): Promise<void> {
  if (deps.config.smtpUrl === null) return;
  const today = Math.floor(now / DAY_MS) * DAY_MS + DIGEST_HOUR_UTC * 60 * 60 * 1000;
  const at = today > now ? today : today + DAY_MS;
  const payload: MailPayload = { digest: { userId: user.id } };
  await deps.outbox.enqueue({
    accountId: user.account_id,
    channel: "mail",
    dedupeKey: `digest:${user.id}:${new Date(at).toISOString().slice(0, 10)}`,
    payload,
    notBefore: at,
  });
}

interface SenderDeps {
  conversations: ConversationStore;
  accounts: AccountStore;
  policies: Pick<PolicyStore, "getPolicy">;
  rules: RuleStore;
  /** Late-bound: the outbox is made with this sender, and the digest queues the next day's through it. */
  outbox(): Outbox;
  config: { smtpUrl: string | null; publicUrl: string };
  now(): number;
}

/** The outbox's sender of mail: a letter as it is, the others written now from what is true now. */
export function mailSender(mailer: Mailer, deps: SenderDeps): Sender {
  const { conversations, accounts } = deps;
  return async ({ accountId, payload }) => {
    const mail = payload as MailPayload;
    if ("letter" in mail) {
      await mailer.send(mail.letter);
      return { ok: true };
    }
    if ("unanswered" in mail) {
      const { conversationId, userId } = mail.unanswered;
      const conversation = await conversations.get(accountId, conversationId);
      // Taken (or closed) since, or the user removed or no longer asking: nothing to tell.
      const user = await accounts.teamMember(accountId, userId);
      const minutes = user?.mail.unansweredMinutes ?? null;
      if (conversation?.status === "pending" && user && minutes !== null)
        await mailer.send(
          unansweredLetter(
            user.email,
            await chatAsRead(deps, user, conversation),
            minutes,
            chatUrlOf(deps.config.publicUrl, conversation.id),
          ),
        );
      return { ok: true };
    }
    if ("digest" in mail) {
      const user = await accounts.teamMember(accountId, mail.digest.userId);
      // Switched off, demoted or removed since: no digest, and none tomorrow.
      if (!user || user.role !== "owner" || !user.mail.digest) return { ok: true };
      const now = deps.now();
      // Tomorrow's first: a failure today, retried or given up, never ends the daily chain.
      await scheduleDigest({ outbox: deps.outbox(), config: deps.config }, user, now + 1);
      const bans = await deps.rules.automaticSince(accountId, now - DAY_MS);
      const held = (await conversations.heldSince(accountId, now - DAY_MS)).map((chat) => ({
        count: chat.count,
        url: chatUrlOf(deps.config.publicUrl, chat.conversationId),
      }));
      await mailer.send(digestLetter(user.email, { bans, held }, `${deps.config.publicUrl}/console/#/block`));
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
