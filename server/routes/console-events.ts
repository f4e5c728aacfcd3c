// The console's live feed: new chat requests, status changes, messages and policy changes of the
// signed-in user's account, as Server-Sent Events that resume from Last-Event-ID.

import { Hono } from "hono";
import { requireUser, sessionToken, type ConsoleEnv } from "../auth/console-auth";
import type { Deps } from "../deps";
import { hashToken } from "../ids";
import { lastEventId, streamEvents } from "../realtime/event-stream";
import type { User } from "../store/accounts";
import type { Message, StoredEvent } from "../store/conversations";
import type { AddressView } from "../../policy/address-view";
import { addressView, shownEvent } from "./address-view";

/**
 * Every event of the account, in log order; each SSE `id` is the event's log id.
 * @example GET /api/v1/console/events  (Last-Event-ID: 41)
 *   → id: 42 / event: message / data: {"type":"message","data":{"conversationId":"conv_…","author":"visitor",…}}
 */
export function consoleEventRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();

  app.get("/events", requireUser(deps), async (c) => {
    const accountId = c.get("user").account_id;
    const token = sessionToken(c) ?? "";
    const session = hashToken(token);
    await deps.limits.streamOpen.take(`session:${session}`);
    // A fresh stream starts at the newest event: the console loads the current lists itself.
    const after = lastEventId(c) ?? (await deps.conversations.lastEventId(accountId));
    const user = c.get("user");
    // What this user reads of visitors' addresses, kept up with the owners' choice and the user's role.
    let reader: Pick<User, "account_id" | "role"> = user;
    let view = await addressView(deps, reader);
    // Taken last, just before the stream that gives it back: nothing may fail in between.
    const release = deps.streams.admit([["session", session]]);
    // An open console is its agent being there: recorded now and as the stream beats (presence.ts).
    void deps.presence.connected(user).catch(() => undefined);
    return streamEvents(c, deps, {
      accountId,
      conversationId: null,
      after,
      shape: (event) => consoleEvent(event, view),
      typingFrom: "visitor",
      release,
      stillAllowed: sessionAlive(deps, token, user),
      // Removed from the team, or their other sessions ended: on every instance at once, not at the next beat.
      onChange: async (change) => {
        // The policy cache heard this change first (it subscribed at start) and is loading the new
        // policy: one load shared by every stream. A failed read keeps the view as it was.
        if (change.type === "policy" && reader.role === "agent")
          view = await addressView(deps, reader).catch(() => view);
        if (change.type !== "team" || change.userId !== user.id) return;
        const now = await deps.accounts.sessionUser(token, deps.now());
        if (now === null) return "end";
        // Made owner or agent: the addresses they read change with the role.
        reader = now;
        view = await addressView(deps, reader).catch(() => view);
      },
    });
  });

  return app;
}

/**
 * An event as agents may read it. A message held by screening reaches no agent's stream until it is
 * released (its release is a message event of its own): the stream says only that one was held, so
 * an open chat shows its held list grow.
 */
function consoleEvent(event: StoredEvent, view: AddressView): { type: string; data: unknown } {
  if (event.type === "message") {
    const message = event.data as Message;
    if (message.held) return { type: "held", data: { conversationId: message.conversationId, id: message.id } };
  }
  return { type: event.type, data: shownEvent(view, event.type, event.data) };
}

/**
 * Signing out, or the session expiring, ends the feed too; each beat it lives records the agent as
 * there. Made here rather than written inline: under tsx a named closure carries a property array,
 * and an idle stream should cost as little as can be.
 */
function sessionAlive(deps: Deps, token: string, { id, account_id }: User): () => Promise<boolean> {
  const user = { id, account_id };
  return async () => {
    if ((await deps.accounts.sessionUser(token, deps.now())) === null) return false;
    await deps.presence.connected(user).catch(() => undefined);
    return true;
  };
}
