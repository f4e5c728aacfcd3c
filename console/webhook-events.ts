// What each webhook event means, in one plain line for the Integrations page (DESIGN.md, "Notifications").

import type { WebhookEvent } from "./types";

/** One line per event type of policy/wire.ts's WEBHOOK_EVENTS, in the same order. */
export const WEBHOOK_EVENT_TEXT: Record<WebhookEvent, string> = {
  "chat.started": "A visitor starts a chat.",
  "chat.message": "A message in a chat, from the visitor or an agent.",
  "chat.closed": "A chat is closed.",
  "chat.offline_message": "A visitor leaves a message while nobody is online.",
  "visitor.banned": "A visitor is blocked, by an agent or by automatic protection.",
  "rule.changed": "A rule or the policy changes.",
  "file.refused": "A file sent in a chat is refused by the file rules.",
};
