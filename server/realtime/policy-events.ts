// A policy or rule change: drop the compiled policy everywhere and tell open console streams.
// Visitor streams listen for the same change and re-check their visitor (routes/widget.ts, the event stream's onChange).

import { announceRuleChanged } from "../webhooks/chat-events";
import type { Deps } from "../deps";

export async function announcePolicyChange(deps: Deps, accountId: string, what: "policy" | "rules"): Promise<void> {
  deps.changes.publish({ type: "policy", accountId });
  const eventId = await deps.conversations.appendAccountEvent(accountId, "policy", { what }, deps.now());
  deps.changes.publish({ type: "event", accountId, conversationId: null, eventId });
  // What changed is for the console to read (GET /audit); the receiver hears that it did.
  await announceRuleChanged(deps, accountId, { what }, String(eventId));
}
