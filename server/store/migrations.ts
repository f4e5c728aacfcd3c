// Versioned migrations, applied in name order at start, on SQLite and on PostgreSQL alike. Never
// change what one that has shipped does to a database: add another. (0001 learnt PostgreSQL's
// column types after it shipped; what it does on SQLite is unchanged.)

import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from "kysely";
import { onPostgres } from "./dialect";

// Migrations see the database as it was then, not as schema.ts says it is now.
type AnyDb = Kysely<unknown>;

/** Epoch milliseconds: SQLite's integer has 64 bits, PostgreSQL's 32, so it is bigint there. */
const time = (db: AnyDb) => (onPostgres(db) ? "bigint" : "integer");

/** A growing numeric id: SQLite's rowid alias, PostgreSQL's bigserial. */
const serial = (db: AnyDb) => (onPostgres(db) ? "bigserial" : "integer");
const serialKey = (db: AnyDb) => (c: ColumnDefinitionBuilder) =>
  onPostgres(db) ? c.primaryKey() : c.primaryKey().autoIncrement();

export const migrations: Record<string, Migration> = {
  "0001-initial": {
    async up(db: AnyDb) {
      await db.schema
        .createTable("accounts")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("created_at", time(db), (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("users")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
        .addColumn("email", "text", (c) => c.notNull())
        .addColumn("password_hash", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("image_previews", "integer", (c) => c.notNull().defaultTo(1))
        .addColumn("created_at", time(db), (c) => c.notNull())
        .addUniqueConstraint("users_account_email", ["account_id", "email"])
        .execute();
      await db.schema
        .createTable("sessions")
        .addColumn("token_hash", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
        .addColumn("account_id", "text", (c) => c.notNull())
        .addColumn("created_at", time(db), (c) => c.notNull())
        .addColumn("expires_at", time(db), (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("setup_tokens")
        .addColumn("token_hash", "text", (c) => c.primaryKey())
        .addColumn("created_at", time(db), (c) => c.notNull())
        .addColumn("expires_at", time(db), (c) => c.notNull())
        .addColumn("used_at", time(db))
        .execute();
      await db.schema
        .createTable("policies")
        .addColumn("account_id", "text", (c) => c.primaryKey().references("accounts.id"))
        .addColumn("document", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("updated_at", time(db), (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("ip_rules")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("start", "text", (c) => c.notNull())
        .addColumn("prefix", "integer", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("comment", "text", (c) => c.notNull())
        .addColumn("created_by_kind", "text", (c) => c.notNull())
        .addColumn("created_by_user", "text", (c) => c.notNull())
        .addColumn("created_by_email", "text", (c) => c.notNull())
        .addColumn("conversation_id", "text")
        .addColumn("created_at", time(db), (c) => c.notNull())
        .addColumn("expires_at", time(db))
        .execute();
      await db.schema.createIndex("ip_rules_account").on("ip_rules").column("account_id").execute();
      await db.schema
        .createTable("audit_log")
        .addColumn("id", serial(db), serialKey(db))
        .addColumn("account_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text")
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("detail", "text", (c) => c.notNull())
        .addColumn("created_at", time(db), (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("conversations")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
        .addColumn("visitor_id", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("visitor_ip", "text", (c) => c.notNull())
        .addColumn("visitor_country", "text")
        .addColumn("page", "text", (c) => c.notNull())
        .addColumn("agent_user_id", "text")
        .addColumn("created_at", time(db), (c) => c.notNull())
        .addColumn("accepted_at", time(db))
        .addColumn("closed_at", time(db))
        .addColumn("closed_reason", "text")
        .execute();
      await db.schema
        .createIndex("conversations_account_status")
        .on("conversations")
        .columns(["account_id", "status"])
        .execute();
      await db.schema
        .createIndex("conversations_visitor")
        .on("conversations")
        .columns(["account_id", "visitor_id"])
        .execute();
      await db.schema
        .createTable("files")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) => c.notNull())
        .addColumn("conversation_id", "text", (c) => c.notNull().references("conversations.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("size", "integer", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("mime", "text", (c) => c.notNull())
        .addColumn("category", "text", (c) => c.notNull())
        .addColumn("created_at", time(db), (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("messages")
        .addColumn("id", serial(db), serialKey(db))
        .addColumn("conversation_id", "text", (c) => c.notNull().references("conversations.id"))
        .addColumn("account_id", "text", (c) => c.notNull())
        .addColumn("author", "text", (c) => c.notNull())
        .addColumn("user_id", "text")
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("file_id", "text", (c) => c.references("files.id"))
        .addColumn("created_at", time(db), (c) => c.notNull())
        .execute();
      await db.schema.createIndex("messages_conversation").on("messages").column("conversation_id").execute();
      await db.schema
        .createTable("events")
        .addColumn("id", serial(db), serialKey(db))
        .addColumn("account_id", "text", (c) => c.notNull())
        .addColumn("conversation_id", "text")
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("data", "text", (c) => c.notNull())
        .addColumn("created_at", time(db), (c) => c.notNull())
        .execute();
      await db.schema.createIndex("events_account").on("events").columns(["account_id", "id"]).execute();
      await db.schema.createIndex("events_conversation").on("events").columns(["conversation_id", "id"]).execute();
      await db.schema
        .createTable("preview_overrides")
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("conversation_id", "text", (c) => c.notNull())
        .addColumn("show", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("preview_overrides_pk", ["user_id", "conversation_id"])
        .execute();
    },
  },
  // A chat remembers every address its visitor wrote from (issue #11: blocks must hit the one in use now).
  "0002-visitor-addresses": {
    async up(db: AnyDb) {
      await db.schema
        .alterTable("conversations")
        .addColumn("visitor_addresses", "text", (c) => c.notNull().defaultTo("[]"))
        .execute();
      const typed = db as unknown as Kysely<{
        conversations: {
          id: string;
          visitor_ip: string;
          visitor_country: string | null;
          created_at: number;
          visitor_addresses: string;
        };
      }>;
      const rows = await typed
        .selectFrom("conversations")
        .select(["id", "visitor_ip", "visitor_country", "created_at"])
        .execute();
      for (const row of rows) {
        const seen = JSON.stringify([
          { ip: row.visitor_ip, country: row.visitor_country, since: Number(row.created_at) },
        ]);
        await typed.updateTable("conversations").set({ visitor_addresses: seen }).where("id", "=", row.id).execute();
      }
    },
  },
  // Many instances (issue #13): files in the database, a secret every instance shares, and what SQLite
  // serialised for free held by the database itself (one open chat per visitor).
  "0003-many-instances": {
    async up(db: AnyDb) {
      await db.schema
        .createTable("file_chunks")
        .addColumn("file_id", "text", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("bytes", onPostgres(db) ? "bytea" : "blob", (c) => c.notNull())
        .addColumn("created_at", time(db), (c) => c.notNull())
        .addPrimaryKeyConstraint("file_chunks_pk", ["file_id", "seq"])
        .execute();
      await db.schema
        .createTable("settings")
        .addColumn("name", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("conversations_one_open")
        .on("conversations")
        .columns(["account_id", "visitor_id"])
        .unique()
        .where(sql.ref("status"), "!=", "closed")
        .execute();
    },
  },
  // Rules of every kind (issue #14): addresses and networks as before, AS numbers and visitor ids
  // too, and automatic protection as an author. A new table, since SQLite cannot relax NOT NULL.
  "0004-rules-of-every-kind": {
    async up(db: AnyDb) {
      await db.schema
        .createTable("rules")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("version", "integer")
        .addColumn("start", "text")
        .addColumn("prefix", "integer")
        .addColumn("asn", "bigint")
        .addColumn("visitor_id", "text")
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("comment", "text", (c) => c.notNull())
        .addColumn("created_by_kind", "text", (c) => c.notNull())
        .addColumn("created_by_user", "text")
        .addColumn("created_by_email", "text")
        .addColumn("conversation_id", "text")
        .addColumn("created_at", time(db), (c) => c.notNull())
        .addColumn("expires_at", time(db))
        .execute();
      await db.schema.createIndex("rules_account").on("rules").column("account_id").execute();
      await db.schema.createIndex("rules_expires").on("rules").column("expires_at").execute();
      await sql`insert into rules (id, account_id, kind, version, start, prefix, asn, visitor_id, text, comment, created_by_kind,
          created_by_user, created_by_email, conversation_id, created_at, expires_at)
        select id, account_id, case when (version = 4 and prefix = 32) or (version = 6 and prefix = 128) then 'address' else 'network' end,
          version, start, prefix, null, null, text, comment, created_by_kind, created_by_user, created_by_email, conversation_id, created_at, expires_at
        from ip_rules`.execute(db);
      await db.schema.dropTable("ip_rules").execute();
    },
  },
  // Automatic protection (issue #15): counted hits, kept in the store so that every instance counts
  // the same and a restart forgets nothing within a window; and proof-of-work solutions used once.
  "0005-protection": {
    async up(db: AnyDb) {
      await db.schema
        .createTable("protection_hits")
        .addColumn("account_id", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("at", time(db), (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("protection_hits_key")
        .on("protection_hits")
        .columns(["account_id", "key", "at"])
        .execute();
      await db.schema.createIndex("protection_hits_at").on("protection_hits").column("at").execute();
      await db.schema
        .createTable("used_solutions")
        .addColumn("signature", "text", (c) => c.primaryKey())
        .addColumn("expires_at", time(db), (c) => c.notNull())
        .execute();
      await db.schema.createIndex("used_solutions_expires").on("used_solutions").column("expires_at").execute();
    },
  },
  // Presence and names (issue #16): which agents are online or away, when each console was last
  // connected; the name an agent shows visitors (and the name of the one who took each chat);
  // chats written while nobody was online.
  "0006-presence": {
    async up(db: AnyDb) {
      await db.schema.alterTable("users").addColumn("display_name", "text").execute();
      await db.schema
        .alterTable("conversations")
        .addColumn("offline", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable("conversations").addColumn("agent_name", "text").execute();
      await db.schema
        .createTable("agent_presence")
        .addColumn("user_id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("last_seen", time(db), (c) => c.notNull())
        .execute();
      await db.schema.createIndex("agent_presence_account").on("agent_presence").column("account_id").execute();
    },
  },
  // A chat is resumed with a secret of its own (issue #22), not the visitor id: its SHA-256. Chats opened
  // before have none, so none can resume them; the visitor's next start closes such a chat and opens another.
  "0007-chat-secrets": {
    async up(db: AnyDb) {
      await db.schema.alterTable("conversations").addColumn("secret_hash", "text").execute();
    },
  },
  // Automatic bans (issue #22): each counted act names the browser, so a trip can tell one browser's
  // flood from an address many browsers share; an address so shared is challenged rather than banned;
  // and a ban looks up the few rules that could cover its targets instead of loading them all.
  "0008-automatic-bans": {
    async up(db: AnyDb) {
      await db.schema.alterTable("protection_hits").addColumn("visitor_id", "text").execute();
      await db.schema
        .createTable("protection_challenges")
        .addColumn("account_id", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("until", time(db), (c) => c.notNull())
        .addPrimaryKeyConstraint("protection_challenges_key", ["account_id", "key"])
        .execute();
      await db.schema.createIndex("protection_challenges_until").on("protection_challenges").column("until").execute();
      await db.schema.createIndex("rules_account_start").on("rules").columns(["account_id", "start"]).execute();
      await db.schema.createIndex("rules_account_visitor").on("rules").columns(["account_id", "visitor_id"]).execute();
      await db.schema.createIndex("rules_account_asn").on("rules").columns(["account_id", "asn"]).execute();
      await db.schema
        .createIndex("rules_account_author")
        .on("rules")
        .columns(["account_id", "created_by_kind", "expires_at"])
        .execute();
    },
  },
  // The rules list read a page at a time, newest first, and compiled a batch at a time (issue #22);
  // a compiled policy catches up from the audit log's rule changes after the last it applied.
  "0010-rule-paging": {
    async up(db: AnyDb) {
      await db.schema
        .createIndex("rules_account_created")
        .on("rules")
        .columns(["account_id", "created_at", "id"])
        .execute();
      await db.schema.createIndex("audit_log_account").on("audit_log").columns(["account_id", "id"]).execute();
    },
  },
  // Sign-in (issue #22): the addresses each user signed in from, so guessing a user's password from
  // many other addresses cannot lock them out of their own.
  "0009-sign-in": {
    async up(db: AnyDb) {
      await db.schema
        .createTable("sign_in_addresses")
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("address", "text", (c) => c.notNull())
        .addColumn("last_at", time(db), (c) => c.notNull())
        .addPrimaryKeyConstraint("sign_in_addresses_pk", ["user_id", "address"])
        .execute();
    },
  },
  // The team (issue #25): a removed user stays a row, so their chats and audit entries keep their
  // name and email; an owner's one-time link to set a new password.
  "0011-team": {
    async up(db: AnyDb) {
      await db.schema.alterTable("users").addColumn("removed_at", time(db)).execute();
      await db.schema
        .createTable("password_resets")
        .addColumn("token_hash", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull())
        // The owner who made it: their links die with their removal or demotion.
        .addColumn("issued_by", "text")
        .addColumn("created_at", time(db), (c) => c.notNull())
        .addColumn("expires_at", time(db), (c) => c.notNull())
        .addColumn("used_at", time(db))
        .execute();
    },
  },
  // Canned replies (issue #25): each account's list, one shortcut once.
  "0012-canned-replies": {
    async up(db: AnyDb) {
      await db.schema
        .createTable("canned_replies")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
        .addColumn("shortcut", "text", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("created_at", time(db), (c) => c.notNull())
        .addUniqueConstraint("canned_replies_shortcut", ["account_id", "shortcut"])
        .execute();
    },
  },
  // Each user's sound and look of the console (issue #25): a chime while the tab is hidden, on until
  // turned off; the color scheme of the device ("auto") until they choose light or dark.
  "0013-sound-and-theme": {
    async up(db: AnyDb) {
      await db.schema
        .alterTable("users")
        .addColumn("sound", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .alterTable("users")
        .addColumn("theme", "text", (c) => c.notNull().defaultTo("auto"))
        .execute();
    },
  },
  // Avatars (issue #26): every image uploaded as one, with the kind its bytes showed, so only those are
  // ever served publicly (never a chat's file); and each user's own, shown beside their messages.
  "0014-avatars": {
    async up(db: AnyDb) {
      await db.schema
        .createTable("avatars")
        .addColumn("file_id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
        .addColumn("mime", "text", (c) => c.notNull())
        .addColumn("created_at", time(db), (c) => c.notNull())
        .execute();
      await db.schema.alterTable("users").addColumn("avatar_file_id", "text").execute();
    },
  },
  // The pre-chat form and the email asked while nobody is online (issue #26): what a visitor told
  // before the chat, kept with it for the agent.
  "0015-prechat": {
    async up(db: AnyDb) {
      await db.schema.alterTable("conversations").addColumn("visitor_name", "text").execute();
      await db.schema.alterTable("conversations").addColumn("visitor_email", "text").execute();
      await db.schema
        .alterTable("conversations")
        .addColumn("prechat_answers", "text", (c) => c.notNull().defaultTo("[]"))
        .execute();
    },
  },
  // Mail and webhooks (issue #27): the outbox they go through, and each user's choice of mail.
  "0016-outbox": {
    async up(db: AnyDb) {
      await db.schema
        .createTable("outbox")
        .addColumn("id", serial(db), serialKey(db))
        .addColumn("account_id", "text", (c) => c.notNull())
        .addColumn("channel", "text", (c) => c.notNull())
        .addColumn("dedupe_key", "text", (c) => c.notNull().unique())
        .addColumn("sequence_key", "text")
        .addColumn("target_key", "text")
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("next_at", time(db), (c) => c.notNull())
        .addColumn("first_due_at", time(db), (c) => c.notNull())
        .addColumn("lease_until", time(db))
        .addColumn("lease_owner", "text")
        .addColumn("created_at", time(db), (c) => c.notNull())
        .addColumn("done_at", time(db))
        .addColumn("last_error", "text")
        .execute();
      await db.schema.createIndex("outbox_account").on("outbox").columns(["account_id", "channel", "id"]).execute();
      await db.schema.createIndex("outbox_due").on("outbox").columns(["channel", "done_at", "next_at"]).execute();
      await db.schema.createIndex("outbox_sequence").on("outbox").columns(["sequence_key", "done_at"]).execute();
      await db.schema.createIndex("outbox_target").on("outbox").columns(["target_key", "done_at"]).execute();
      await db.schema.alterTable("users").addColumn("mail_offline", "integer").execute();
    },
  },
  // Webhooks (issue #27): each account's endpoints; their deliveries go through the outbox.
  "0017-webhooks": {
    async up(db: AnyDb) {
      await db.schema
        .createTable("webhook_endpoints")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("events", "text", (c) => c.notNull())
        .addColumn("secret", "text", (c) => c.notNull())
        .addColumn("created_at", time(db), (c) => c.notNull())
        .addColumn("failing_since", time(db))
        .addColumn("disabled_at", time(db))
        .execute();
      await db.schema.createIndex("webhook_endpoints_account").on("webhook_endpoints").column("account_id").execute();
    },
  },
  // More of what each user chooses to be mailed (issue #27): chats left unanswered, a daily digest.
  "0018-mail-choices": {
    async up(db: AnyDb) {
      await db.schema.alterTable("users").addColumn("mail_unanswered_minutes", "integer").execute();
      await db.schema
        .alterTable("users")
        .addColumn("mail_digest", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  // Screening (issue #28): what was found in a visitor's message, and whether it is held or was released.
  "0019-screening": {
    async up(db: AnyDb) {
      await db.schema.alterTable("messages").addColumn("screening", "text").execute();
      await db.schema
        .alterTable("messages")
        .addColumn("held", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable("messages").addColumn("released_by", "text").execute();
      await db.schema.alterTable("messages").addColumn("released_at", time(db)).execute();
    },
  },
  // Two-factor sign-in (issue #29): a user's TOTP secret once confirmed, one being enrolled, the last
  // time step used (a code is refused when reused), and the hashes of their unused backup codes.
  "0020-two-factor": {
    async up(db: AnyDb) {
      await db.schema
        .createTable("two_factor")
        .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id"))
        .addColumn("secret", "text")
        .addColumn("pending_secret", "text")
        .addColumn("pending_session", "text")
        .addColumn("last_step", time(db))
        .addColumn("backup_codes", "text", (c) => c.notNull().defaultTo("[]"))
        .addColumn("enabled_at", time(db))
        .execute();
    },
  },
  // An account's owners may require two-factor sign-in of the whole team (issue #29).
  "0021-require-two-factor": {
    async up(db: AnyDb) {
      await db.schema
        .alterTable("accounts")
        .addColumn("require_two_factor", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  // Each session's device, address and last use, so a user sees where they are signed in (issue #29).
  "0022-session-details": {
    async up(db: AnyDb) {
      await db.schema.alterTable("sessions").addColumn("user_agent", "text").execute();
      await db.schema.alterTable("sessions").addColumn("address", "text").execute();
      await db.schema.alterTable("sessions").addColumn("last_seen", time(db)).execute();
    },
  },
  // Retention (issue #29): which rows' addresses are kept as their network already, and the indexes the
  // sweep reads each account's oldest rows by, so it never scans a table.
  "0023-retention": {
    async up(db: AnyDb) {
      for (const table of ["conversations", "events", "audit_log"]) {
        await db.schema
          .alterTable(table)
          .addColumn("anonymized", "integer", (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema
          .createIndex(`${table}_anonymize`)
          .on(table)
          .columns(["account_id", "anonymized", "created_at"])
          .execute();
      }
      await db.schema
        .createIndex("conversations_closed")
        .on("conversations")
        .columns(["account_id", "closed_at"])
        .execute();
      // Removing a chat finds its files, and each file's message (the foreign key), by these.
      await db.schema.createIndex("files_conversation").on("files").column("conversation_id").execute();
      await db.schema.createIndex("messages_file").on("messages").column("file_id").execute();
      await db.schema
        .createIndex("preview_overrides_conversation")
        .on("preview_overrides")
        .column("conversation_id")
        .execute();
    },
  },
  // Consent (issue #29): the privacy notice's version a visitor agreed to before their chat, and when.
  "0024-consent": {
    async up(db: AnyDb) {
      await db.schema.alterTable("conversations").addColumn("consent_version", "integer").execute();
      await db.schema.alterTable("conversations").addColumn("consented_at", time(db)).execute();
    },
  },
};
