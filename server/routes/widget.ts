// The visitor side after the verdict and ticket (server/verdict/verdict-route.ts): ticketed conversation, message,
// file and event requests.
// Every ticketed request re-checks the current policy; a blocked visitor gets 403 `unavailable`.
// A chat is the visitor's by its secret (server/chat-secret.ts), not by the visitor id, which anyone
// may learn: the ticket says who asks, from where; the secret, that the chat is theirs. Both travel in
// headers only, the event stream's too (the widget reads it with fetch), so no URL carries either.
// CORS echoes only origins the website rules allow, so a copied site cannot read the answers.

import type { HttpBindings } from "@hono/node-server";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { MAX_MESSAGE_CHARS } from "../../policy/limits";

import { formatIp, type IpAddress } from "../../policy/ip";
import { intakeRulesOf, readIntake, type IntakeProblem } from "../../policy/prechat";
import { chatStartSchema, messageInputSchema } from "../../policy/schema";
import { hiddenBy, type CompiledPolicy } from "../../policy/verdict";
import type { TicketClaims } from "../auth/tickets";
import { CHAT_SECRET_HEADER, proofOf } from "../chat-secret";
import type { Deps } from "../deps";
import { visitorFrom } from "../http/client-ip";
import { allowCors, corsHeaders } from "../http/cors";
import { ApiError, unavailable } from "../http/errors";
import { readJson, readOptionalJson, rejectBody, type BodyLimit } from "../http/request-body";
import { hashToken, newToken } from "../ids";
import { networkFacts } from "../networks/networks";
import { countAct } from "../protection/protection";
import { addressKey } from "../protection/rate-limit";
import { conversationEvent, type Change } from "../realtime/changes";
import { lastEventId, streamEvents } from "../realtime/event-stream";
import type { Conversation, Message, StoredEvent } from "../store/conversations";
import { findPolicy } from "../verdict/policy-cache";
import { parsedPage } from "../verdict/verdict-route";
import { announceClosed, announceMessage, announceStarted } from "../webhooks/chat-events";
import { screenIntake, screenMessage } from "../screening/screen";
import { attachFile } from "./attach-file";
import { fileAnswer } from "./file-answer";

interface VisitorContext {
  claims: TicketClaims;
  /** The ticket's signature: names this ticket among the streams it holds. */
  ticketKey: string;
  ip: IpAddress;
  country: string | null;
  policy: CompiledPolicy;
}

type WidgetEnv = { Bindings: HttpBindings; Variables: { visitor: VisitorContext } };

/** 4,000 characters of up to four UTF-8 bytes each, escaped as JSON, fit with room to spare. */
const MESSAGE_LIMIT: BodyLimit = {
  maxBytes: 64 * 1024,
  message: `A message is at most ${MAX_MESSAGE_CHARS} characters.`,
};

/** 400 `invalid`, naming the field of the answer refused: `prechat.answers.N` or `email`. */
function intakeRefusal({ field, message }: IntakeProblem): ApiError {
  const path = field === "email" || field === "consent" ? field : `prechat.answers.${field}`;
  return new ApiError(400, "invalid", message, { fields: { [path]: message } });
}

/** Five answers and an email, each at most 1,000 characters of up to four UTF-8 bytes, fit. */
const START_LIMIT: BodyLimit = {
  maxBytes: 32 * 1024,
  message: "A new chat's answers take at most 32 KiB: answer more briefly.",
};

/** Visitor-safe views: no agent emails, no internal ids beyond what the widget needs. */
function visitorMessage(message: Message) {
  // The id lets the visitor download the file (…/files/:fileId); the file's MIME type and storage stay here.
  const file = message.file && {
    id: message.file.id,
    name: message.file.name,
    size: message.file.size,
    kind: message.file.kind,
    category: message.file.category,
  };
  // An agent is named as they chose to be shown (their display name), never by their email.
  const agentName = message.author === "agent" ? message.agentName : null;
  const agentAvatar = message.author === "agent" ? message.agentAvatar : null;
  return {
    id: message.id,
    author: message.author,
    agentName,
    agentAvatar,
    text: message.text,
    file,
    createdAt: message.createdAt,
  };
}

function visitorConversation(conversation: Conversation) {
  return {
    id: conversation.id,
    status: conversation.status,
    createdAt: conversation.createdAt,
    // "Anna has joined", or "An agent has joined" when null.
    agentName: conversation.status === "active" ? conversation.agentName : null,
    offline: conversation.offline,
  };
}

/**
 * What the visitor may read of the chat: everything but the agents' internal notes and Hatch's lines
 * for the agents (a refused file: the visitor was told in their own words when they sent it).
 */
const forVisitor = (message: Message) => message.author !== "note" && message.author !== "system";

function visitorEvent(event: StoredEvent) {
  if (event.type === "message") {
    const message = event.data as Message;
    // A held message's release brings it to the agents; the visitor has had it since they wrote it.
    return forVisitor(message) && !message.released ? visitorMessage(message) : null;
  }
  if (event.type === "conversation") return visitorConversation(event.data as Conversation);
  return null;
}

/**
 * The ticketed visitor routes under /api/v1/widget/:account, plus the CORS preflight. Every route
 * on a chat (`/conversations/:id/…`) also needs the chat's secret in X-Chat-Secret; without it, or
 * with a wrong one, the chat is answered as absent (404 `not_found`), as another visitor's or none.
 * @example POST /api/v1/widget/acme/conversations  (Authorization: Bearer TICKET, Origin: https://shop.example)
 *   → 201 {"conversation":{"id":"conv_…","status":"pending",…},"messages":[],"secret":"…43 characters"}
 * @example GET /api/v1/widget/acme/conversations/conv_…/events?after=12  (Authorization, X-Chat-Secret)
 *   → 200 text/event-stream, the chat's events after event 12
 * @example GET /api/v1/widget/acme/conversations/conv_…/files/file_…  (Authorization, X-Chat-Secret)
 *   → 200 application/octet-stream, Content-Disposition: attachment; filename*=UTF-8''…, or 404 for a file of another chat
 */
export function widgetRoutes(deps: Deps) {
  const app = new Hono<WidgetEnv>();

  // Preflight: answered from the Origin alone, since it carries no page or ticket.
  app.options("/:account/*", async (c) => {
    allowCors(c, await findPolicy(deps.policyCache, c.req.param("account")), c.req.header("origin") ?? null);
    c.header("Access-Control-Allow-Methods", "GET, POST");
    c.header("Access-Control-Allow-Headers", `Authorization, Content-Type, X-File-Name, ${CHAT_SECRET_HEADER}`);
    c.header("Access-Control-Max-Age", "600");
    return c.body(null, 204);
  });

  const gate = visitorGate(deps);
  app.use("/:account/conversations", gate);
  app.use("/:account/conversations/*", gate);

  /**
   * Starts the visitor's chat, or resumes the one open with the X-Chat-Secret it was given: 200 with
   * its messages. A new chat (201) comes with its `secret`, said this once and stored only hashed.
   * 409 `chat_open` when the visitor id has a chat open and no secret of it is presented: whoever
   * knows a visitor id learns that much, and nothing of the chat.
   * A new chat's body carries the pre-chat form's answers and the email asked while nobody is online,
   * checked against the form (400 `invalid` naming the field); a resumed chat ignores it.
   */
  app.post("/:account/conversations", async (c) => {
    const body = await readOptionalJson(c, chatStartSchema, START_LIMIT);
    const { claims, ip, country, policy } = c.get("visitor");
    // Written while no agent is online: the console shows it as an offline message.
    const away = deps.presence.online(claims.account) === false;
    const intake = readIntake(intakeRulesOf(policy.look, away), body);
    // A chat about to be opened counts toward automatic protection; resuming one does not. Its answers
    // are checked first: a form refused (a field the widget did not draw) costs the visitor no strike.
    if (!(await deps.conversations.hasOpen(claims.account, claims.visitor))) {
      if (!intake.ok) throw intakeRefusal(intake.problem);
      await countAct(deps, policy, "chat", {
        accountId: claims.account,
        visitorId: claims.visitor,
        ip,
        conversation: null,
      });
    }
    const secret = newToken();
    const started = await deps.conversations.startOrResume(
      {
        accountId: claims.account,
        visitorId: claims.visitor,
        visitorIp: formatIp(ip),
        visitorCountry: country,
        page: claims.page,
        offline: away,
        ...(intake.ok && { intake: screenIntake(intake.intake, policy.screening) }),
        secretHash: hashToken(secret),
      },
      proofOf(c.req.header(CHAT_SECRET_HEADER)),
      deps.now(),
      async () => {
        // Another request opened the chat this one checked for: its answers are checked all the same.
        if (!intake.ok) throw intakeRefusal(intake.problem);
        // Only new chats count against the limit; resuming one is free.
        await deps.limits.conversationStart.take(addressKey(ip));
      },
    );
    if (started === null)
      throw new ApiError(
        409,
        "chat_open",
        "This browser has a chat open: continue it where it was started, or reload the page to continue it here.",
      );
    const { conversation, eventId, ended } = started;
    if (ended) {
      deps.changes.publish(conversationEvent(ended.conversation, ended.eventId));
      await announceClosed(deps, ended.conversation);
    }
    if (eventId === null) {
      await writesFrom(c, deps, conversation);
      return c.json({
        conversation: visitorConversation(conversation),
        messages: (await deps.conversations.messages(conversation.id)).filter(forVisitor).map(visitorMessage),
      });
    }
    deps.changes.publish(conversationEvent(conversation, eventId));
    await announceStarted(deps, conversation);
    return c.json({ conversation: visitorConversation(conversation), messages: [], secret }, 201);
  });

  app.post("/:account/conversations/:id/messages", async (c) => {
    const { ip } = c.get("visitor");
    await deps.limits.message.take(addressKey(ip));
    const conversation = await ownConversation(c, deps);
    const body = await readJson(c, messageInputSchema, MESSAGE_LIMIT);
    const { claims, policy } = c.get("visitor");
    const actor = { accountId: claims.account, visitorId: claims.visitor, ip, conversation };
    await countAct(deps, policy, "message", actor);
    // Screened before it is stored or sent to anyone; the visitor is not told what was found. The
    // message that brings the visitor to their ban is refused with the ban, and reaches no agent.
    const screened = screenMessage(body.text, policy.screening);
    if (screened.abusive) await countAct(deps, policy, "abuse", actor);
    const { message, eventId } = orClosed(
      await deps.conversations.addMessage(conversation, "visitor", null, screened.text, null, deps.now(), screened),
    );
    deps.changes.publish(conversationEvent(conversation, eventId));
    // A held message is told to nobody (mail, webhooks) until an agent releases it.
    if (!message.held) await announceMessage(deps, conversation, message);
    return c.json(visitorMessage(message), 201);
  });

  // "The visitor is typing": no body, 204 whether passed on or dropped by the throttle.
  app.post("/:account/conversations/:id/typing", async (c) => {
    await rejectBody(c);
    // Throttled first: a client typing fast costs a Map lookup, not the store's read of the chat.
    if (deps.typing.quiet(c.req.param("id") ?? "", "visitor")) return c.body(null, 204);
    const conversation = await ownConversation(c, deps);
    deps.typing.typing(conversation, "visitor", null);
    return c.body(null, 204);
  });

  app.post("/:account/conversations/:id/files", async (c) => {
    const { ip, policy } = c.get("visitor");
    const key = addressKey(ip);
    await deps.limits.message.take(key);
    const conversation = await ownConversation(c, deps);
    const { claims } = c.get("visitor");
    await countAct(deps, policy, "message", {
      accountId: claims.account,
      visitorId: claims.visitor,
      ip,
      conversation,
    });
    const message = await attachFile(deps, c.req.raw, {
      conversation,
      author: "visitor",
      userId: null,
      rules: policy.files,
      screening: policy.screening,
      budgetKey: key,
    });
    return c.json(visitorMessage(orClosed(message)), 201);
  });

  // A file of the visitor's own chat, an agent's above all, saved by the widget from a blob: always an
  // opaque download, never a page of the host site's or Hatch's, and never kept by a shared cache.
  app.get("/:account/conversations/:id/files/:fileId", async (c) => {
    await deps.limits.download.take(addressKey(c.get("visitor").ip));
    const conversation = await ownConversation(c, deps, true);
    const file = await deps.conversations.file(conversation.accountId, c.req.param("fileId"));
    // Another chat's file, or one whose bytes are gone, is as absent as none.
    const answer =
      file?.conversationId === conversation.id
        ? await fileAnswer(c, deps, file, { inline: false, cacheControl: "private, no-store" })
        : null;
    if (!answer) throw new ApiError(404, "not_found", "There is no such file in this chat.");
    return answer;
  });

  app.get("/:account/conversations/:id/events", async (c) => {
    const conversation = await ownConversation(c, deps, true);
    const { claims, ticketKey, ip, country, policy } = c.get("visitor");
    const address = addressKey(ip);
    await deps.limits.streamOpen.take(address);
    const release = deps.streams.admit([
      ["ticket", ticketKey],
      ["visitor", `${claims.account}/${claims.visitor}`],
      ["address", address],
    ]);
    const after = lastEventId(c) ?? Number(/^\d{1,15}$/.test(c.req.query("after") ?? "") ? c.req.query("after") : 0);
    return streamEvents(c, deps, {
      accountId: conversation.accountId,
      conversationId: conversation.id,
      after,
      shape: visitorEvent,
      release,
      headers: corsHeaders(policy, claims.origin),
      typingFrom: "agent",
      stillAllowed: ticketAlive(deps, claims),
      onChange: endsWhenHidden(deps, claims, ip, country),
    });
  });

  return app;
}

// The two below are made by functions rather than written inline in the stream's options: under tsx
// a named closure carries a property array, and an idle stream should cost as little as can be.

/** An expired ticket ends the stream; the widget asks for a new verdict on the next page load. */
function ticketAlive(deps: Deps, claims: TicketClaims): () => boolean {
  return () => claims.exp > deps.now();
}

/** A block made mid-chat ends the stream; the visitor's next request gets 403. */
function endsWhenHidden(
  deps: Deps,
  claims: TicketClaims,
  ip: IpAddress,
  country: string | null,
): (change: Change) => Promise<"end" | void> {
  return async (change) => {
    if (change.type !== "policy" && change.type !== "resync") return;
    const fresh = await deps.policyCache.get(claims.account);
    if (!fresh || !(await allowed(deps, fresh, claims, ip, country))) return "end";
  };
}

function orClosed<T>(written: T | null): T {
  if (written === null) throw new ApiError(409, "closed", "This chat has ended. Start a new one to write again.");
  return written;
}

/**
 * The visitor's own conversation named in the path, proven by its secret; another visitor's, or one
 * asked for without its secret, is as absent as none: no answer tells whether the chat exists.
 */
async function ownConversation(c: Context<WidgetEnv>, deps: Deps, closedToo = false): Promise<Conversation> {
  const { claims } = c.get("visitor");
  const proof = proofOf(c.req.header(CHAT_SECRET_HEADER));
  const conversation = await deps.conversations.ownedBy(claims.account, c.req.param("id") ?? "", claims.visitor, proof);
  if (!conversation) throw new ApiError(404, "not_found", "There is no such conversation.");
  if (!closedToo && conversation.status === "closed")
    throw new ApiError(409, "closed", "This chat has ended. Start a new one to write again.");
  if (conversation.status !== "closed") await writesFrom(c, deps, conversation);
  return conversation;
}

/**
 * The visitor may come back from another address (a new network, a VPN switched on): the chat
 * follows, so the agent sees it and "block this address" blocks the one in use now.
 */
async function writesFrom(c: Context<WidgetEnv>, deps: Deps, conversation: Conversation): Promise<void> {
  const { ip, country } = c.get("visitor");
  const now = formatIp(ip);
  if (now === conversation.visitorIp) return;
  const moved = await deps.conversations.moveVisitor(conversation.accountId, conversation.id, now, country, deps.now());
  if (moved) deps.changes.publish(conversationEvent(conversation, moved.eventId));
}

/** Whether the current policy still shows the chat to the ticket's visitor, from this address and country, on its page. */
async function allowed(
  deps: Deps,
  policy: CompiledPolicy,
  claims: TicketClaims,
  ip: IpAddress,
  country: string | null,
): Promise<boolean> {
  const page = parsedPage(claims.page);
  if (!page.ok) return false;
  const facts = await networkFacts(deps.networks, policy, ip);
  // A chat under way goes on when the last agent leaves: being away hides only new chats. hiddenBy, not
  // decide(): the same answer without the reasons (test/policy/verdict.test.ts holds them equal).
  const visitor = { ip, country, page: page.page, visitorId: claims.visitor, ...facts, agentsOnline: null };
  return hiddenBy(policy, visitor, deps.now()) === null;
}

/**
 * Checks the ticket (signature, expiry, account, IP, Origin) and the current policy. The ticket comes
 * as `Authorization: Bearer`, on every route: the widget reads the event stream with fetch, not
 * EventSource, so that no URL carries a ticket or a secret into logs.
 */
function visitorGate(deps: Deps): MiddlewareHandler<WidgetEnv> {
  return async (c, next) => {
    const now = deps.now();
    const account = c.req.param("account");
    const policy = await findPolicy(deps.policyCache, account ?? "");
    const origin = c.req.header("origin") ?? null;
    allowCors(c, policy, origin);
    const bearer = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")?.[1];
    const claims = bearer ? deps.tickets.verify(bearer, now) : null;
    if (!bearer || !claims || claims.account !== account || !policy) {
      throw new ApiError(401, "ticket_invalid", "This chat session has expired: reload the page to continue.");
    }
    const from = visitorFrom(c.env.incoming, deps);
    // A ticket copied to another network or page is worthless.
    if (formatIp(from.ip) !== claims.ip || origin !== claims.origin) throw unavailable();
    if (!(await allowed(deps, policy, claims, from.ip, from.country))) throw unavailable();
    c.set("visitor", {
      claims,
      ticketKey: bearer.slice(bearer.lastIndexOf(".") + 1),
      ip: from.ip,
      country: from.country,
      policy,
    });
    await next();
  };
}
