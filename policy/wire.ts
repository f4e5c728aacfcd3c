// JSON shapes of the console API written once, for the server that sends them and the console that
// reads them: a field renamed on one side is then a type error on the other. Types only, no logic.

/** A user's role in an account: owners change settings, agents chat and may block from a chat. */
export type Role = "owner" | "agent";

/** How the console looks: as the device prefers ("auto"), or always light or dark. */
export type Theme = "auto" | "light" | "dark";

/** A user's own options (`GET /me` → `options`; `PATCH /me/options` changes any of them). */
export interface UserOptions {
  /** Whether images visitors send show in a chat by default. */
  imagePreviews: boolean;
  /** What visitors read for this user; null: "an agent". */
  displayName: string | null;
  /** A chime for a new chat request or visitor message while the console's tab is hidden. */
  sound: boolean;
  theme: Theme;
  /**
   * What is mailed to them, when the server has mail (SMTP_URL): each offline message (on by default
   * for owners); a chat request nobody took within `unansweredMinutes` (null: none, the default); a
   * daily digest of automatic bans (owners; off by default).
   */
  mail: { offlineMessages: boolean; unansweredMinutes: number | null; digest: boolean };
}

/** An agent's presence: their choice while a console of theirs is open, offline when none has been for a few minutes. */
export type PresenceStatus = "online" | "away" | "offline";

/** One user of the account with their presence (`GET /presence` → `team`, owners only). */
export interface TeamMember {
  userId: string;
  email: string;
  displayName: string | null;
  role: Role;
  status: PresenceStatus;
}

/** One change to the rules or the policy (`GET /audit`), as the owner's audit page shows it. */
export interface AuditEntry {
  id: number;
  action: string;
  /** Who made it: null for Hatch itself (automatic protection). */
  userId: string | null;
  email: string | null;
  detail: unknown;
  createdAt: string;
}

/** A canned reply (`GET /replies`): an answer agents insert by typing "/" and its shortcut. */
export interface CannedReply {
  id: string;
  shortcut: string;
  text: string;
}

/** A co-worker online a chat may be passed to (`GET /conversations/:id/transfer`); the email for owners only. */
export interface TransferCandidate {
  userId: string;
  name: string | null;
  email: string | null;
}

/** What an owner may have posted to a webhook endpoint (DESIGN.md, "Notifications"). */
export const WEBHOOK_EVENTS = [
  "chat.started",
  "chat.message",
  "chat.closed",
  "chat.offline_message",
  "visitor.banned",
  "rule.changed",
  "file.refused",
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * An owner's webhook endpoint (`GET /webhooks`). `disabledAt`: switched off after failing for a day
 * (or never, null); `PATCH /webhooks/:id {"enabled":true}` switches it on again. Its secret is shown
 * once, in the answer to the POST that made it.
 */
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEvent[];
  createdAt: string;
  disabledAt: string | null;
}

/** One event sent, or being sent, to an endpoint (`GET /webhooks/:id/deliveries`), newest first. */
export interface WebhookDelivery {
  id: number;
  /** The event's id, as the `webhook-id` header carries it: the same on every try and redelivery. */
  eventId: string;
  type: WebhookEvent | "test";
  status: "pending" | "delivered" | "failed";
  attempts: number;
  createdAt: string;
  /** When it is tried next, while pending. */
  nextAt: string | null;
  /** The last try's failure (HTTP 500, a timeout…), or null. */
  lastError: string | null;
}
