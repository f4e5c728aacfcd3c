// The tables as Kysely sees them. Times are epoch milliseconds; booleans are 0/1; JSON is text.

import type { Generated } from "kysely";
import type { Category } from "../../policy/file-category";
import type { RuleAuthor, RuleKind } from "../../policy/rules";
import type { Theme } from "../../policy/wire";

interface AccountTable {
  id: string;
  name: string;
  created_at: number;
  /** Every member signs in with two-factor (0/1): one without it can only enrol. */
  require_two_factor: number;
}

export interface UserTable {
  id: string;
  account_id: string;
  email: string;
  password_hash: string;
  role: "owner" | "agent";
  image_previews: number;
  /** What visitors see beside the agent's messages; null: "an agent". */
  display_name: string | null;
  /** A chime for new chats and visitor messages while the console's tab is hidden (0/1). */
  sound: number;
  theme: Theme;
  /** The image shown beside their messages (an `avatars` row); null: none. */
  avatar_file_id: string | null;
  created_at: number;
  /** When an owner removed them: they can no longer sign in, and their chats keep their name. */
  removed_at: number | null;
  /** Mail for each offline message (0/1); null: the default, on for owners and off for agents. */
  mail_offline: number | null;
  /** Mail for a chat request nobody took within this many minutes; null: none. */
  mail_unanswered_minutes: number | null;
  /** A daily digest of automatic bans (0/1; owners). */
  mail_digest: number;
}

interface SessionTable {
  token_hash: string;
  user_id: string;
  account_id: string;
  created_at: number;
  expires_at: number;
  /** The browser's User-Agent at sign-in (at most 512 characters); null for sessions made before it was kept. */
  user_agent: string | null;
  /** The address it signed in from (addressKey: IPv4, or an IPv6 /64). */
  address: string | null;
  /** When a request last used it, to the minute. */
  last_seen: number | null;
}

interface SetupTokenTable {
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

interface CannedReplyTable {
  id: string;
  account_id: string;
  shortcut: string;
  text: string;
  created_at: number;
}

interface PasswordResetTable {
  token_hash: string;
  user_id: string;
  /** The owner who made it (null: the command line); their links go when they are removed or demoted. */
  issued_by: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

interface PolicyTable {
  account_id: string;
  document: string;
  version: number;
  updated_at: number;
}

export interface RuleTable {
  id: string;
  account_id: string;
  kind: RuleKind;
  /** address and network rules: IP version, first address (hex) and prefix length. */
  version: number | null;
  start: string | null;
  prefix: number | null;
  /** as rules */
  asn: number | null;
  /** visitor rules */
  visitor_id: string | null;
  text: string;
  comment: string;
  created_by_kind: RuleAuthor["kind"];
  /** Null for automatic protection. */
  created_by_user: string | null;
  created_by_email: string | null;
  conversation_id: string | null;
  created_at: number;
  expires_at: number | null;
}

interface AuditTable {
  id: Generated<number>;
  account_id: string;
  user_id: string | null;
  action: string;
  detail: string;
  created_at: number;
  /** 1 once the addresses in `detail` are kept as their networks (retention). */
  anonymized: Generated<number>;
}

export interface ConversationTable {
  id: string;
  account_id: string;
  visitor_id: string;
  status: "pending" | "active" | "closed";
  visitor_ip: string;
  visitor_country: string | null;
  /** JSON: the addresses seen in the chat, as policy/chat.ts's VisitorAddressSeen with `since` in epoch ms. */
  visitor_addresses: string;
  page: string;
  agent_user_id: string | null;
  created_at: number;
  accepted_at: number | null;
  closed_at: number | null;
  closed_reason: string | null;
  /** 1 when the visitor wrote while no agent was online: an offline message. */
  offline: number;
  /** The display name of the agent who took the chat, as it was then; null for none. */
  agent_name: string | null;
  /** SHA-256 of the secret the widget was given for the chat (server/chat-secret.ts); null for chats from before 0007. */
  secret_hash: string | null;
  /** What the visitor told before the chat (policy/prechat.ts): their name, their email, and JSON `[{label, value}]`. */
  visitor_name: string | null;
  visitor_email: string | null;
  prechat_answers: string;
  /** The privacy notice's version the visitor agreed to before starting, and when; null when none was asked. */
  consent_version: number | null;
  consented_at: number | null;
  /** 1 once the addresses above are kept as their networks (retention). */
  anonymized: number;
}

interface MessageTable {
  id: Generated<number>;
  conversation_id: string;
  account_id: string;
  author: "visitor" | "agent" | "system" | "note";
  user_id: string | null;
  text: string;
  file_id: string | null;
  created_at: number;
  /** What screening found (policy/chat.ts MessageScreening) as JSON; null for nothing. */
  screening: string | null;
  /** 1 while held by screening, until an agent releases it. */
  held: number;
  released_by: string | null;
  released_at: number | null;
}

export interface FileTable {
  id: string;
  account_id: string;
  conversation_id: string;
  name: string;
  size: number;
  kind: string;
  mime: string;
  category: Category;
  created_at: number;
}

interface EventTable {
  id: Generated<number>;
  account_id: string;
  conversation_id: string | null;
  type: string;
  data: string;
  created_at: number;
  /** 1 once the addresses in `data` are kept as their networks (retention). */
  anonymized: Generated<number>;
}

interface PreviewOverrideTable {
  user_id: string;
  conversation_id: string;
  show: number;
}

/** A file's bytes in the database (many instances): numbered chunks, see file-chunks.ts. */
interface FileChunkTable {
  file_id: string;
  seq: number;
  bytes: Uint8Array;
  created_at: number;
}

/** Values every instance must agree on, made once: the signing secret. */
interface SettingTable {
  name: string;
  value: string;
}

/** One counted act (a chat opened, a message, a close as spam) of one visitor or address: see store/protection.ts. */
interface ProtectionHitTable {
  account_id: string;
  key: string;
  at: number;
  /** The browser that acted; null for hits counted before 0008. */
  visitor_id: string | null;
}

/** An address (or IPv6 /64) shared by many browsers that tripped a limit: its new tickets need a proof of work until `until`. */
interface ProtectionChallengeTable {
  account_id: string;
  key: string;
  until: number;
}

/** A proof-of-work solution already exchanged for a ticket, kept until its challenge expires. */
interface UsedSolutionTable {
  signature: string;
  expires_at: number;
}

/** An agent's chosen status and when a console of theirs was last connected (presence.ts). */
interface AgentPresenceTable {
  user_id: string;
  account_id: string;
  status: "online" | "away";
  last_seen: number;
}

/**
 * Mail and webhook deliveries waiting, under way or done (store/outbox.ts): kept in the store so that
 * a restart loses none, and claimed row by row so that no two instances send one.
 */
export interface OutboxTable {
  id: Generated<number>;
  account_id: string;
  channel: "mail" | "webhook";
  /** One row per event and recipient: enqueueing the same again adds nothing, so nothing goes twice. */
  dedupe_key: string;
  /** Rows of one sequence go one at a time, oldest first (a chat's events to one endpoint); null: none. */
  sequence_key: string | null;
  /** Where it goes (an endpoint): one delivery in flight there at a time, across instances; null: no limit. */
  target_key: string | null;
  /** JSON: what the channel's sender needs. */
  payload: string;
  attempts: number;
  /** Not tried before this time: the back-off after a failure. */
  next_at: number;
  /** When it was first due: it is tried for a day from then (a digest is queued a day ahead). */
  first_due_at: number;
  /** An instance claimed it until then; past it, another may (the first one died). */
  lease_until: number | null;
  /** The claim that holds it: only that claim may record its outcome. */
  lease_owner: string | null;
  created_at: number;
  /** Sent, or given up: then `last_error` says why. */
  done_at: number | null;
  last_error: string | null;
}

/** An owner's webhook endpoint (store/webhooks.ts). */
export interface WebhookEndpointTable {
  id: string;
  account_id: string;
  url: string;
  /** JSON: the event types it takes. */
  events: string;
  /** `whsec_…`, kept to sign each delivery (Standard Webhooks); shown to the owner once. */
  secret: string;
  created_at: number;
  /** Since when its deliveries fail without a success between; null while they succeed. */
  failing_since: number | null;
  /** Switched off after failing for a day; null while on. */
  disabled_at: number | null;
}

/** An image uploaded as an avatar (the team's or a user's): only these are served publicly. */
interface AvatarTable {
  file_id: string;
  account_id: string;
  /** What its bytes showed it to be: image/png, image/jpeg, image/gif or image/webp. */
  mime: string;
  created_at: number;
}

/** A user's two-factor sign-in (auth/two-factor.ts): a row once they start enrolling. */
interface TwoFactorTable {
  user_id: string;
  /** The base32 TOTP secret codes are checked against; null until an enrolment is confirmed. */
  secret: string | null;
  /** The secret of an enrolment not yet confirmed by a first code. */
  pending_secret: string | null;
  /** The hash of the session that started it: no other session may read or confirm it. */
  pending_session: string | null;
  /** The last 30-second time step a code was accepted for: none of it or before is accepted again. */
  last_step: number | null;
  /** JSON array of the SHA-256 hashes of the unused backup codes. */
  backup_codes: string;
  enabled_at: number | null;
}

/** An address (IPv4, or an IPv6 /64) a user signed in from, and when last (sign-in-limits.ts). */
interface SignInAddressTable {
  user_id: string;
  address: string;
  last_at: number;
}

export interface Database {
  accounts: AccountTable;
  users: UserTable;
  sessions: SessionTable;
  setup_tokens: SetupTokenTable;
  password_resets: PasswordResetTable;
  canned_replies: CannedReplyTable;
  policies: PolicyTable;
  rules: RuleTable;
  audit_log: AuditTable;
  conversations: ConversationTable;
  messages: MessageTable;
  files: FileTable;
  events: EventTable;
  preview_overrides: PreviewOverrideTable;
  file_chunks: FileChunkTable;
  settings: SettingTable;
  protection_hits: ProtectionHitTable;
  protection_challenges: ProtectionChallengeTable;
  used_solutions: UsedSolutionTable;
  agent_presence: AgentPresenceTable;
  sign_in_addresses: SignInAddressTable;
  avatars: AvatarTable;
  two_factor: TwoFactorTable;
  outbox: OutboxTable;
  webhook_endpoints: WebhookEndpointTable;
}
