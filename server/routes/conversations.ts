// Chats in the console: list and open them, take a request, answer (with text or a file), close, block
// the visitor's address from the chat, and each agent's image-preview override. Another account's chat is a 404.

import { Hono, type Context } from "hono";
import * as z from "zod/mini";
import { parseIp } from "../../policy/ip";
import { RULE_KINDS, type RuleAuthor } from "../../policy/rules";
import { expiresAtSchema, messageInputSchema, ruleCommentSchema } from "../../policy/schema";
import { requireUser, type ConsoleEnv } from "../auth/console-auth";
import type { Deps } from "../deps";
import { ApiError, fieldError, parseWith } from "../http/errors";
import { readJson, readOptionalJson, rejectBody, type BodyLimit } from "../http/request-body";
import { ban } from "../protection/bans";
import { countSpam } from "../protection/protection";
import { conversationEvent } from "../realtime/changes";
import type { Conversation } from "../store/conversations";
import { requirePolicy } from "../verdict/policy-cache";
import { announceBanned, announceClosed, announceMessage } from "../webhooks/chat-events";
import { addressView } from "./address-view";
import { attachFile } from "./attach-file";

const listQuerySchema = z.strictObject({
  status: z.enum(["pending", "active", "closed"], {
    error: "Choose which chats to list: status=pending, active or closed.",
  }),
  spam: z.optional(
    z.enum(["true", "false"], { error: "spam=true lists chats closed as spam, spam=false the others." }),
  ),
});

/** A close says at most `{"spam":true}`. */
const CLOSE_LIMIT: BodyLimit = { maxBytes: 1024, message: 'A close takes no body, or {"spam": true}: send less.' };
const closeSchema = z.strictObject({
  spam: z.optional(z.boolean({ error: "spam is true (close as spam) or false." })),
});
const scope = z.enum(RULE_KINDS, {
  error: `scope is "visitor" (this browser), "address" (the address in use now), "network" (its /24 or /64) or "as" (its network operator), or a list of them.`,
});
const blockSchema = z.strictObject({
  scope: z.union([
    scope,
    z.array(scope).check(z.minLength(1, "Choose at least one thing to block."), z.maxLength(RULE_KINDS.length)),
  ]),
  comment: ruleCommentSchema,
  expiresAt: expiresAtSchema,
});
const transferSchema = z.strictObject({
  userId: z.string({ error: "userId is the id of the co-worker to pass the chat to." }).check(z.maxLength(100)),
});
const previewsSchema = z.strictObject({
  show: z.nullable(z.boolean({ error: "show is true, false, or null to follow your default." })),
});

const chatClosed = () =>
  new ApiError(409, "not_active", "This chat is closed: the visitor can no longer read answers.");

/** The chat, if an agent may answer it now: taken by someone and not yet closed; else a 409. */
function answerable(conversation: Conversation): Conversation {
  if (conversation.status === "pending")
    throw new ApiError(409, "not_active", "Take this chat request before answering it.");
  if (conversation.status !== "active") throw chatClosed();
  return conversation;
}

/**
 * The console's chat routes, for owners and agents alike.
 * @example POST /api/v1/console/conversations/conv_…/block {"scope":"network","comment":"spam"}
 *   → 201 {"rule":{"network":"203.0.113.0/24",…},"conversation":{"status":"closed","closedReason":"blocked",…},"created":true}
 * @example POST /api/v1/console/conversations/conv_…/files  (raw body, X-File-Name: price%20list.pdf)
 *   → 201 {"id":42,"author":"agent","userId":"user_…","file":{"id":"file_…","name":"price list.pdf","category":"document",…},…},
 *     413 `too_large`, 415 `file_type` (the account's file rules), 409 `not_active` once the chat is closed
 */
export function conversationRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();
  // "/conversations/*" also matches "/conversations" itself.
  app.use("/conversations/*", requireUser(deps));

  /** The conversation of the signed-in user's account, or a 404 that does not say whether it exists elsewhere. */
  async function load(c: Context<ConsoleEnv>): Promise<Conversation> {
    const conversation = await deps.conversations.get(c.get("user").account_id, c.req.param("id") ?? "");
    if (!conversation) throw new ApiError(404, "not_found", "There is no such chat in this account.");
    return conversation;
  }

  app.get("/conversations", async (c) => {
    const { status, spam } = parseWith(listQuerySchema, c.req.query());
    const accountId = c.get("user").account_id;
    const conversations = await deps.conversations.list(
      accountId,
      status,
      spam === undefined ? undefined : spam === "true",
    );
    const last = await deps.conversations.lastMessages(
      accountId,
      conversations.map((conversation) => conversation.id),
    );
    const view = await addressView(deps, c.get("user"));
    return c.json({
      conversations: conversations.map((conversation) => ({
        ...view.shown(conversation),
        lastMessage: last.get(conversation.id) ?? null,
      })),
    });
  });

  app.get("/conversations/:id", async (c) => {
    const conversation = await load(c);
    const user = c.get("user");
    const override = await deps.conversations.previewOverride(user.id, conversation.id);
    const address = parseIp(conversation.visitorIp);
    return c.json({
      conversation: (await addressView(deps, user)).shown(conversation),
      messages: await deps.conversations.messages(conversation.id),
      previews: { show: override ?? user.imagePreviews, override },
      // The network operator of the address in use now: "192.0.2.66 · Germany · AS3320 Deutsche Telekom AG".
      visitorAs: address.ok ? await deps.networks.asOfLoaded(address.address).catch(() => null) : null,
    });
  });

  app.post("/conversations/:id/accept", async (c) => {
    await rejectBody(c);
    const conversation = await load(c);
    const user = c.get("user");
    const accepted = await deps.conversations.accept(conversation.accountId, conversation.id, user, deps.now());
    if (!accepted) {
      const current = (await deps.conversations.get(conversation.accountId, conversation.id)) ?? conversation;
      throw new ApiError(
        409,
        "not_pending",
        current.status === "active"
          ? current.agentUserId === user.id
            ? "You have already taken this chat."
            : "Another agent has already taken this chat."
          : "This chat request is closed: the visitor left or it was closed.",
      );
    }
    deps.changes.publish(conversationEvent(accepted.conversation, accepted.eventId));
    return c.json((await addressView(deps, user)).shown(accepted.conversation));
  });

  // Any user of the account may answer an active chat, so an owner can step in for an agent.
  app.post("/conversations/:id/messages", async (c) => {
    const body = await readJson(c, messageInputSchema);
    const conversation = answerable(await load(c));
    const user = c.get("user");
    await deps.limits.agentMessage.take(conversation.id);
    const written = await deps.conversations.addMessage(conversation, "agent", user.id, body.text, null, deps.now());
    if (!written) throw chatClosed();
    deps.changes.publish(conversationEvent(conversation, written.eventId));
    await announceMessage(deps, conversation, written.message);
    return c.json(written.message, 201);
  });

  // A message screening held (server/screening/) goes into the chat for every agent; audited.
  app.post("/conversations/:id/messages/:mid/release", async (c) => {
    await rejectBody(c);
    const conversation = await load(c);
    // Each writes to the audit log: as bounded as the chat's answers.
    await deps.limits.agentMessage.take(conversation.id);
    const released = await deps.conversations.release(
      conversation.accountId,
      conversation.id,
      messageIdOf(c.req.param("mid")),
      c.get("user").id,
      deps.now(),
    );
    if (!released) throw noHeldMessage();
    deps.changes.publish(conversationEvent(conversation, released.eventId));
    await announceMessage(deps, conversation, released.message);
    return c.json(released.message);
  });

  // An agent shows the masked words of a message: the console has them, and asks first so it is audited.
  app.post("/conversations/:id/messages/:mid/reveal", async (c) => {
    await rejectBody(c);
    const conversation = await load(c);
    const mid = messageIdOf(c.req.param("mid"));
    await deps.limits.agentMessage.take(conversation.id);
    const user = c.get("user");
    if (!(await deps.conversations.recordReveal(conversation.accountId, conversation.id, mid, user.id, deps.now())))
      throw new ApiError(404, "not_found", "This chat has no such message with masked words.");
    return c.body(null, 204);
  });

  // An answer with a file: judged by its bytes under the account's file rules, as a visitor's is, and
  // paid from the agent's own hourly byte budget. Checked before a byte of the body is read.
  app.post("/conversations/:id/files", async (c) => {
    const conversation = answerable(await load(c));
    const user = c.get("user");
    await deps.limits.agentMessage.take(conversation.id);
    const policy = await requirePolicy(deps.policyCache, conversation.accountId);
    const message = await attachFile(deps, c.req.raw, {
      conversation,
      author: "agent",
      userId: user.id,
      rules: policy.files,
      screening: null,
      budgetKey: `user:${user.id}`,
    });
    if (!message) throw chatClosed();
    return c.json(message, 201);
  });

  // Who an active chat may go to: the account's other users online now, by the name they show (and,
  // for owners, who know the team's emails, their email).
  app.get("/conversations/:id/transfer", async (c) => {
    const conversation = await load(c);
    const owner = c.get("user").role === "owner";
    const candidates = (await deps.presenceStore.team(conversation.accountId, deps.now()))
      .filter((member) => member.status === "online" && member.userId !== conversation.agentUserId)
      .map((member) => ({ userId: member.userId, name: member.displayName, email: owner ? member.email : null }));
    return c.json({ candidates });
  });

  // The agent who has the chat, or an owner, passes it to a co-worker online; the visitor reads the new name.
  app.post("/conversations/:id/transfer", async (c) => {
    const { userId } = await readJson(c, transferSchema);
    const conversation = await load(c);
    const user = c.get("user");
    if (conversation.status !== "active")
      throw new ApiError(409, "not_active", "Only a chat someone has taken can be passed on.");
    if (conversation.agentUserId !== user.id && user.role !== "owner")
      throw new ApiError(403, "forbidden", "Only the agent who has this chat, or an owner, can pass it on.");
    if (userId === conversation.agentUserId)
      throw new ApiError(409, "already_theirs", "That co-worker has this chat already.");
    const to = (await deps.presenceStore.team(conversation.accountId, deps.now())).find((m) => m.userId === userId);
    if (!to)
      throw new ApiError(404, "not_found", "There is no such user in this account.", {
        fields: { userId: "There is no such user in this account." },
      });
    if (to.status !== "online")
      throw new ApiError(409, "not_online", "That co-worker is not online: pass the chat to someone who is.", {
        fields: { userId: "That co-worker is not online: pass the chat to someone who is." },
      });
    const moved = await deps.conversations.transfer(
      conversation.accountId,
      conversation.id,
      { id: to.userId, displayName: to.displayName },
      deps.now(),
    );
    if (!moved) throw new ApiError(409, "not_active", "Only a chat someone has taken can be passed on.");
    deps.changes.publish(conversationEvent(moved.conversation, moved.eventId));
    return c.json((await addressView(deps, c.get("user"))).shown(moved.conversation));
  });

  // An internal note: in the chat for co-workers, at any time, never in the visitor's stream or transcript.
  app.post("/conversations/:id/notes", async (c) => {
    const body = await readJson(c, messageInputSchema);
    const conversation = await load(c);
    await deps.limits.agentMessage.take(conversation.id);
    const written = await deps.conversations.addMessage(
      conversation,
      "note",
      c.get("user").id,
      body.text,
      null,
      deps.now(),
    );
    if (!written) throw new ApiError(404, "not_found", "There is no such chat.");
    deps.changes.publish(conversationEvent(conversation, written.eventId));
    return c.json(written.message, 201);
  });

  // "The agent is typing", with the name they show visitors: no body, 204 whether passed on or throttled.
  app.post("/conversations/:id/typing", async (c) => {
    await rejectBody(c);
    const conversation = await load(c);
    if (conversation.status === "active") deps.typing.typing(conversation, "agent", c.get("user").displayName);
    return c.body(null, 204);
  });

  // Closing a request that nobody took is ignoring it: the reason says which it was. Closed as spam,
  // it counts toward the visitor's automatic ban.
  app.post("/conversations/:id/close", async (c) => {
    const { spam } = await readOptionalJson(c, closeSchema, CLOSE_LIMIT);
    const conversation = await load(c);
    const now = deps.now();
    const closed = await deps.conversations.close(
      conversation.accountId,
      conversation.id,
      spam ? "spam" : "agent",
      now,
    );
    if (!closed) throw new ApiError(409, "already_closed", "This chat is already closed.");
    deps.changes.publish(conversationEvent(closed.conversation, closed.eventId));
    await announceClosed(deps, closed.conversation);
    if (spam) await countSpam(deps, closed.conversation);
    return c.json((await addressView(deps, c.get("user"))).shown(closed.conversation));
  });

  app.post("/conversations/:id/block", async (c) => {
    const body = await readJson(c, blockSchema);
    const conversation = await load(c);
    const user = c.get("user");
    const now = deps.now();
    const expiresAt = body.expiresAt ? Date.parse(body.expiresAt) : null;
    if (expiresAt !== null && expiresAt <= now)
      throw fieldError("expiresAt", "The expiry is in the past: pick a later time, or none.");
    const author: RuleAuthor = { kind: "agent", userId: user.id, email: user.email, conversationId: conversation.id };
    const scopes = Array.isArray(body.scope) ? body.scope : [body.scope];
    const rules = await ban(
      deps,
      user.account_id,
      conversation,
      scopes,
      { comment: body.comment, author, expiresAt },
      now,
    );

    const closed = await deps.conversations.close(conversation.accountId, conversation.id, "blocked", now);
    if (closed) deps.changes.publish(conversationEvent(closed.conversation, closed.eventId));
    if (rules.some((rule) => rule.created))
      await announceBanned(
        deps,
        user.account_id,
        { by: user.id, chatId: conversation.id, rules, reason: body.comment },
        `${conversation.id}:${now}`,
      );
    if (closed) await announceClosed(deps, closed.conversation);
    const current =
      closed?.conversation ?? (await deps.conversations.get(conversation.accountId, conversation.id)) ?? conversation;
    const view = await addressView(deps, user);
    return c.json(
      { rules: view.shown(rules), conversation: view.shown(current) },
      rules.some((rule) => rule.created) ? 201 : 200,
    );
  });

  app.put("/conversations/:id/previews", async (c) => {
    const body = await readJson(c, previewsSchema);
    const conversation = await load(c);
    const user = c.get("user");
    await deps.conversations.setPreviewOverride(user.id, conversation.id, body.show);
    return c.json({ show: body.show ?? user.imagePreviews, override: body.show });
  });

  return app;
}

/** A message id from the path: a whole number, else no message is found by it. */
function messageIdOf(raw: string | undefined): number {
  const id = /^\d{1,15}$/.test(raw ?? "") ? Number(raw) : 0;
  if (id === 0) throw new ApiError(404, "not_found", "There is no such message: its id is a whole number.");
  return id;
}

function noHeldMessage(): ApiError {
  return new ApiError(404, "not_found", "This chat has no such held message: it may have been released already.");
}
