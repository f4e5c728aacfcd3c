// The shapes the console API sends back, as the console reads them.

import type { Conversation, Message } from "../policy/chat";
import type { ListedRule, Rule, RuleChat, RuleKind } from "../policy/rules";
import type { AsOf, Reason, Verdict } from "../policy/verdict";
import type { PresenceStatus, Role, TeamMember, UserOptions } from "../policy/wire";

export type { PolicyDocument } from "../policy/schema";
export type { ListedRule, Rule, RuleChat, RuleKind };
export type { AsOf, Reason, Verdict };

export type {
  AuditEntry,
  CannedReply,
  PresenceStatus,
  TeamMember,
  Theme,
  TransferCandidate,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEvent,
} from "../policy/wire";

/** What signs a user in: the second factor's code once the server asked for it (two_factor_required). */
export interface SignInForm {
  account: string;
  email: string;
  password: string;
  code?: string;
}

/** One of the user's console sessions (GET /me/sessions). */
export interface SignedInSession {
  id: string;
  current: boolean;
  /** "Chrome on Linux"; null when the browser did not say. */
  device: string | null;
  address: string | null;
  lastSeen: number | null;
  createdAt: number;
}

/** A phone being enrolled: the key to type in, should the QR code not scan. */
export interface TwoFactorEnrolment {
  secret: string;
  otpauthUrl: string;
}

export interface Me {
  user: { id: string; email: string; role: Role };
  account: string;
  options: UserOptions;
  /** Two-factor sign-in: on or off, the backup codes left, and whether the account's owners require it. */
  twoFactor: { enabled: boolean; backupCodesLeft: number; required: boolean };
  /** Whether the server sends mail (SMTP_URL): Options says so when it does not. */
  mailConfigured: boolean;
}

export interface TeamUser {
  id: string;
  email: string;
  role: Role;
}

/** `GET` and `PUT /presence`: the signed-in user's status, and for owners the team's. */
export interface Presence {
  status: PresenceStatus;
  team?: TeamMember[];
}

export type { Conversation, Message, StoredFile } from "../policy/chat";
export type { ConversationStatus as ChatStatus } from "../policy/chat";

export interface ConversationSummary extends Conversation {
  lastMessage: Message | null;
}

/** The feed's `typing` event: the visitor of a chat is typing (`name` is null for a visitor). */
export interface TypingNotice {
  conversationId: string;
  name: string | null;
}

export interface Previews {
  show: boolean;
  override: boolean | null;
}

export interface ConversationDetail {
  conversation: Conversation;
  messages: Message[];
  previews: Previews;
  /** The network operator of the visitor's address, when known. */
  visitorAs: AsOf | null;
}

/** Which rules to list (`GET /rules`); an absent field does not narrow. */
export interface RuleQuery {
  kind?: RuleKind;
  author?: "console" | "agent" | "automatic";
  status?: "active" | "expired";
  q?: string;
}

/** One pasted line as the server stored it (`POST /rules` → `lines`). */
export type RuleLine =
  | { line: number; input: string; status: "added"; kind: RuleKind; rule: string; hostBitsCleared: boolean }
  | { line: number; input: string; status: "merged"; rule: string; into: string; message: string };

/** What a CSV read back did (`POST /rules {"csv"}`): lines merged into rules already there, lines already expired. */
export interface CsvImport {
  rules: Rule[];
  merged: number[];
  expired: number[];
}

/** A rule a block from a chat made, or found already doing the same (`created` false). */
export interface BlockedRule extends Rule {
  created: boolean;
}

/** An automatic ban, as the event feed tells it (`protection`): what happened, the rules made, the chat if any. */
export interface AutomaticBan {
  message: string;
  rules: BlockedRule[];
  conversationId: string | null;
}

/** What the network switches can know (`GET /networks`). */
export interface NetworkStatus {
  tor: {
    /** The list's path, or null when TOR_EXIT_LIST is not set. */
    file: string | null;
    addresses: number;
    skipped: number;
    /** Why the list is missing or incomplete (with addresses: too many, the rest ignored). */
    error: string | null;
    /** When the list in use was read, epoch milliseconds. */
    loadedAt: number | null;
  };
  hosting: { networks: number };
}

/** `POST /users/:id/reset`: the link for the owner to hand over, or, when the server sends mail, that it mailed it. */
export type ResetLink = { link: string } | { mailed: true };
