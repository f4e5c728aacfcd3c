// Conversations (pending → active → closed), their messages and files, per-chat preview overrides,
// and the event log that both event streams replay from, so a reconnect misses and repeats nothing.

import { MAX_VISITOR_ADDRESSES } from "../../policy/limits";
import {
  type Conversation,
  type ConversationStatus,
  type Message,
  type MessageScreening,
  type StoredFile,
} from "../../policy/chat";
import type { Intake } from "../../policy/prechat";
import { proves } from "../chat-secret";
import { newId } from "../ids";
import type { Db } from "./db";
import type { ConversationTable, FileTable } from "./schema";

export type { Conversation, ConversationStatus, Message, StoredFile };

export interface StoredEvent {
  id: number;
  conversationId: string | null;
  type: string;
  data: unknown;
}

/** A chat as the widget opens it; `offline` when no agent is online to answer. */
interface NewConversation {
  accountId: string;
  visitorId: string;
  visitorIp: string;
  visitorCountry: string | null;
  page: string;
  offline?: boolean;
  /** What the visitor told before the chat, checked (policy/prechat.ts). */
  intake?: Intake;
  /** The hash of the secret the widget is given, should the chat be new (server/chat-secret.ts). */
  secretHash: string;
}

/** A chat that changed, and the id of the event that says so. */
interface Changed {
  conversation: Conversation;
  eventId: number;
}

/**
 * What a start did: resumed the open chat (`eventId` null) or opened one; `ended` is the chat it
 * closed first because no secret can resume it.
 */
interface Started {
  conversation: Conversation;
  eventId: number | null;
  ended: Changed | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An address as the visitor_addresses column keeps it. */
interface AddressRow {
  ip: string;
  country: string | null;
  since: number;
}

function toConversation(row: ConversationTable): Conversation {
  const seen = JSON.parse(row.visitor_addresses) as AddressRow[];
  return {
    id: row.id,
    accountId: row.account_id,
    visitorId: row.visitor_id,
    status: row.status,
    visitorIp: row.visitor_ip,
    visitorCountry: row.visitor_country,
    visitorAddresses: seen.map((address) => ({ ip: address.ip, country: address.country, since: iso(address.since)! })),
    page: row.page,
    agentUserId: row.agent_user_id,
    createdAt: iso(row.created_at)!,
    acceptedAt: iso(row.accepted_at),
    closedAt: iso(row.closed_at),
    closedReason: row.closed_reason,
    offline: row.offline === 1,
    agentName: row.agent_name,
    visitorName: row.visitor_name,
    visitorEmail: row.visitor_email,
    answers: JSON.parse(row.prechat_answers) as Conversation["answers"],
    consent: row.consent_version === null ? null : { version: row.consent_version, at: iso(row.consented_at)! },
  };
}

function toFile(row: Pick<FileTable, "id" | "name" | "size" | "kind" | "mime" | "category">): StoredFile {
  return { id: row.id, name: row.name, size: row.size, kind: row.kind, mime: row.mime, category: row.category };
}

/** A messages row joined with its file's columns (null when it has no file). */
interface MessageRow {
  id: number;
  conversation_id: string;
  author: Message["author"];
  user_id: string | null;
  agent_name: string | null;
  agent_avatar: string | null;
  text: string;
  created_at: number;
  file_id: string | null;
  name: string | null;
  size: number | null;
  kind: string | null;
  mime: string | null;
  category: FileTable["category"] | null;
  screening: string | null;
  held: number;
  released_at: number | null;
  releaser_name: string | null;
  releaser_email: string | null;
}

/** What screening decided of a visitor's message (server/screening/), stored with it. */
interface ScreeningDecision {
  screening: MessageScreening | null;
  held: boolean;
}

const UNSCREENED: ScreeningDecision = { screening: null, held: false };

function toMessage(row: MessageRow): Message {
  const file =
    row.file_id === null
      ? null
      : toFile({
          id: row.file_id,
          name: row.name!,
          size: row.size!,
          kind: row.kind!,
          mime: row.mime!,
          category: row.category!,
        });
  return {
    id: Number(row.id),
    conversationId: row.conversation_id,
    author: row.author,
    userId: row.user_id,
    agentName: row.agent_name,
    agentAvatar: row.agent_avatar,
    text: row.text,
    file,
    createdAt: iso(row.created_at)!,
    screening: row.screening === null ? null : (JSON.parse(row.screening) as MessageScreening),
    held: row.held === 1,
    released:
      row.released_at === null
        ? null
        : { by: row.releaser_name ?? row.releaser_email ?? "", at: iso(row.released_at)! },
  };
}

export class ConversationStore {
  /** Reads of the event log in flight, shared by whoever asks the same while they run. */
  private readonly reading = new Map<string, Promise<readonly StoredEvent[]>>();

  constructor(private readonly db: Db) {}

  async get(accountId: string, id: string): Promise<Conversation | null> {
    const row = await this.db
      .selectFrom("conversations")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? toConversation(row) : null;
  }

  /** The newest 500 closed chats (oldest first for open ones); `spam` narrows closed chats to those closed as spam, or to the others. */
  async list(accountId: string, status: ConversationStatus, spam?: boolean): Promise<Conversation[]> {
    let query = this.db
      .selectFrom("conversations")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("status", "=", status);
    if (spam === true) query = query.where("closed_reason", "=", "spam");
    // SQL's != skips nulls: a chat with no reason is not spam either.
    if (spam === false)
      query = query.where((eb) => eb.or([eb("closed_reason", "is", null), eb("closed_reason", "!=", "spam")]));
    const rows = await query
      .orderBy("created_at", status === "closed" ? "desc" : "asc")
      .orderBy("id")
      .limit(500)
      .execute();
    return rows.map(toConversation);
  }

  /**
   * The visitor's open conversation when `proof` (the hash of the secret presented) is its secret's, or
   * else a new pending one stored under `fields.secretHash`. Null when the visitor has a chat open and
   * `proof` is not its secret (another browser that knows the visitor id, or a lost secret): nothing
   * changes. An open chat stored with no secret (opened before 0007) is resumed by nobody: it is
   * closed (reason "visitor", as `ended`) and a new one opened.
   * Two requests at once cannot open two chats for one visitor: the database holds one open chat per
   * visitor (a unique index), and the start that loses the race resumes the winner's only with its secret.
   * `beforeNew` runs only when a chat is about to be opened; if it throws, nothing is stored.
   */
  async startOrResume(
    fields: NewConversation,
    proof: string | null,
    now: number,
    beforeNew: () => Promise<void> = async () => {},
  ): Promise<Started | null> {
    try {
      return await this.openOrResume(fields, proof, now, beforeNew);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return this.openOrResume(fields, proof, now, beforeNew);
    }
  }

  private async openOrResume(
    fields: NewConversation,
    proof: string | null,
    now: number,
    beforeNew: () => Promise<void>,
  ): Promise<Started | null> {
    return this.db.transaction().execute(async (tx) => {
      const open = await tx
        .selectFrom("conversations")
        .selectAll()
        .where("account_id", "=", fields.accountId)
        .where("visitor_id", "=", fields.visitorId)
        .where("status", "!=", "closed")
        .orderBy("created_at", "desc")
        .executeTakeFirst();
      if (open && open.secret_hash !== null)
        return proves(open.secret_hash, proof)
          ? { conversation: toConversation(open), eventId: null, ended: null }
          : null;
      await beforeNew();
      const ended = open
        ? await changeStatus(tx, fields.accountId, open.id, ["pending", "active"], () => closing("visitor", now), now)
        : null;
      const row: ConversationTable = {
        id: newId("conv"),
        account_id: fields.accountId,
        visitor_id: fields.visitorId,
        status: "pending",
        visitor_ip: fields.visitorIp,
        visitor_country: fields.visitorCountry,
        visitor_addresses: JSON.stringify([
          { ip: fields.visitorIp, country: fields.visitorCountry, since: now },
        ] satisfies AddressRow[]),
        page: fields.page,
        agent_user_id: null,
        created_at: now,
        accepted_at: null,
        closed_at: null,
        closed_reason: null,
        offline: fields.offline ? 1 : 0,
        agent_name: null,
        secret_hash: fields.secretHash,
        visitor_name: fields.intake?.name ?? null,
        visitor_email: fields.intake?.email ?? null,
        prechat_answers: JSON.stringify(fields.intake?.answers ?? []),
        consent_version: fields.intake?.consentVersion ?? null,
        consented_at: fields.intake?.consentVersion == null ? null : now,
        anonymized: 0,
      };
      const conversation = toConversation(row);
      await tx.insertInto("conversations").values(row).execute();
      return {
        conversation,
        eventId: await appendEvent(tx, fields.accountId, row.id, "conversation", conversation, now),
        ended,
      };
    });
  }

  /**
   * The conversation `id` of this visitor, when `proof` is its secret's hash; null otherwise, so that
   * another's chat, one without a secret and none at all look the same.
   */
  async ownedBy(accountId: string, id: string, visitorId: string, proof: string | null): Promise<Conversation | null> {
    const row = await this.db
      .selectFrom("conversations")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("id", "=", id)
      .where("visitor_id", "=", visitorId)
      .executeTakeFirst();
    return row && proves(row.secret_hash, proof) ? toConversation(row) : null;
  }

  /** The chats open (pending or active) of this browser or from this address: what a ban of both ends. */
  async openOf(accountId: string, visitorId: string, visitorIp: string): Promise<Conversation[]> {
    const rows = await this.db
      .selectFrom("conversations")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("status", "!=", "closed")
      .where((eb) => eb.or([eb("visitor_id", "=", visitorId), eb("visitor_ip", "=", visitorIp)]))
      .limit(100)
      .execute();
    return rows.map(toConversation);
  }

  /** Whether the visitor has a chat open (pending or active): starting one then resumes it, and counts as no new chat. */
  async hasOpen(accountId: string, visitorId: string): Promise<boolean> {
    const open = await this.db
      .selectFrom("conversations")
      .select("id")
      .where("account_id", "=", accountId)
      .where("visitor_id", "=", visitorId)
      .where("status", "!=", "closed")
      .executeTakeFirst();
    return open !== undefined;
  }

  /**
   * Records that the visitor now writes from `ip`: it becomes the chat's current address and joins
   * the ones seen (the oldest dropped past MAX_VISITOR_ADDRESSES). Null when it already was current.
   */
  async moveVisitor(accountId: string, id: string, ip: string, country: string | null, now: number) {
    return this.db.transaction().execute(async (tx) => {
      await lockConversation(tx, id);
      const row = await tx
        .selectFrom("conversations")
        .select(["visitor_ip", "visitor_addresses"])
        .where("account_id", "=", accountId)
        .where("id", "=", id)
        .executeTakeFirst();
      if (!row || row.visitor_ip === ip) return null;
      const others = (JSON.parse(row.visitor_addresses) as AddressRow[]).filter((address) => address.ip !== ip);
      const seen = [...others, { ip, country, since: now }].slice(-MAX_VISITOR_ADDRESSES);
      await tx
        .updateTable("conversations")
        // A new full address: retention's clock makes it anonymous again, whatever it did to the older ones.
        .set({ visitor_ip: ip, visitor_country: country, visitor_addresses: JSON.stringify(seen), anonymized: 0 })
        .where("id", "=", id)
        .execute();
      const conversation = toConversation(
        await tx.selectFrom("conversations").selectAll().where("id", "=", id).executeTakeFirstOrThrow(),
      );
      return { conversation, eventId: await appendEvent(tx, accountId, id, "conversation", conversation, now) };
    });
  }

  /** Moves a pending conversation to active under the user; null when it was not pending. */
  async accept(accountId: string, id: string, user: { id: string; displayName: string | null }, now: number) {
    return this.transition(
      accountId,
      id,
      ["pending"],
      () => ({ status: "active", agent_user_id: user.id, agent_name: user.displayName, accepted_at: now }),
      now,
    );
  }

  /** Passes an active chat to another agent, who the visitor now reads; null when it is no longer active. */
  async transfer(accountId: string, id: string, to: { id: string; displayName: string | null }, now: number) {
    return this.transition(
      accountId,
      id,
      ["active"],
      () => ({ agent_user_id: to.id, agent_name: to.displayName }),
      now,
    );
  }

  /**
   * Closes a conversation that is not closed yet; null when it already was. An agent closing a
   * request nobody accepted is ignoring it: decided here, in the same transaction as the close.
   */
  async close(accountId: string, id: string, reason: CloseReason, now: number) {
    return this.transition(
      accountId,
      id,
      ["pending", "active"],
      (status) => closing(reason === "agent" && status === "pending" ? "ignored" : reason, now),
      now,
    );
  }

  private async transition(
    accountId: string,
    id: string,
    from: ConversationStatus[],
    set: (status: ConversationStatus) => Partial<ConversationTable>,
    now: number,
  ) {
    return this.db.transaction().execute((tx) => changeStatus(tx, accountId, id, from, set, now));
  }

  /**
   * Stores a message (with its file, if any, and what screening decided of it) and its event; null
   * when the conversation has closed meanwhile.
   */
  async addMessage(
    conversation: Conversation,
    author: Message["author"],
    userId: string | null,
    text: string,
    file: StoredFile | null,
    now: number,
    decision: ScreeningDecision = UNSCREENED,
  ) {
    return this.db.transaction().execute(async (tx) => {
      await lockConversation(tx, conversation.id);
      const current = await tx
        .selectFrom("conversations")
        .select("status")
        .where("id", "=", conversation.id)
        .executeTakeFirst();
      // Agents answer active chats; visitors may write while they wait for one; co-workers note at any time.
      const writable: ConversationStatus[] =
        author === "agent" ? ["active"] : author === "note" ? ["pending", "active", "closed"] : ["pending", "active"];
      if (!current || !writable.includes(current.status)) return null;
      if (file) {
        await tx
          .insertInto("files")
          .values({ ...file, account_id: conversation.accountId, conversation_id: conversation.id, created_at: now })
          .execute();
      }
      const inserted = await tx
        .insertInto("messages")
        .values({
          conversation_id: conversation.id,
          account_id: conversation.accountId,
          author,
          user_id: userId,
          text,
          file_id: file?.id ?? null,
          created_at: now,
          screening: decision.screening === null ? null : JSON.stringify(decision.screening),
          held: decision.held ? 1 : 0,
          released_by: null,
          released_at: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const agent =
        userId === null
          ? undefined
          : await tx
              .selectFrom("users")
              .select(["display_name", "avatar_file_id"])
              .where("id", "=", userId)
              .executeTakeFirst();
      const message: Message = {
        id: Number(inserted.id),
        conversationId: conversation.id,
        author,
        userId,
        agentName: agent?.display_name ?? null,
        agentAvatar: agent?.avatar_file_id ?? null,
        text,
        file,
        createdAt: iso(now)!,
        screening: decision.screening,
        held: decision.held,
        released: null,
      };
      if (decision.held)
        await auditMessage(
          tx,
          { accountId: conversation.accountId, userId: null, action: "message.hold" },
          message,
          now,
        );
      const eventId = await appendEvent(tx, conversation.accountId, conversation.id, "message", message, now);
      return { message, eventId };
    });
  }

  /** Writes to the audit log that a virus scanner found `signature` in a file sent into the chat. */
  async auditFileRefused(conversation: Conversation, file: { name: string; signature: string }, now: number) {
    await this.db
      .insertInto("audit_log")
      .values({
        account_id: conversation.accountId,
        user_id: null,
        action: "file.malware",
        detail: JSON.stringify({ conversationId: conversation.id, name: file.name, signature: file.signature }),
        created_at: now,
      })
      .execute();
  }

  /** The chats with messages screening held since `since` and still held, with how many each; at most 50 chats. */
  async heldSince(accountId: string, since: number): Promise<{ conversationId: string; count: number }[]> {
    const rows = await this.db
      .selectFrom("messages")
      .select(["conversation_id", (eb) => eb.fn.countAll<number>().as("count")])
      .where("account_id", "=", accountId)
      .where("held", "=", 1)
      .where("created_at", ">=", since)
      .groupBy("conversation_id")
      .orderBy("conversation_id")
      .limit(50)
      .execute();
    return rows.map((row) => ({ conversationId: row.conversation_id, count: Number(row.count) }));
  }

  /**
   * Records that `userId` revealed the masked words of a visitor's message; false when the chat has
   * no such message with words masked.
   */
  async recordReveal(accountId: string, conversationId: string, messageId: number, userId: string, now: number) {
    const row = await this.messagesWithFiles()
      .where("messages.account_id", "=", accountId)
      .where("messages.conversation_id", "=", conversationId)
      .where("messages.id", "=", messageId)
      .executeTakeFirst();
    const message = row ? toMessage(row) : null;
    if (!message?.screening?.abuse.length) return false;
    await auditMessage(this.db, { accountId, userId, action: "message.reveal" }, message, now);
    return true;
  }

  /**
   * Releases a held message of the chat into it, by `userId`: the message as agents now read it, and
   * the event that brings it to their streams. Null when the chat has no such message held.
   */
  async release(accountId: string, conversationId: string, messageId: number, userId: string, now: number) {
    return this.db.transaction().execute(async (tx) => {
      const released = await tx
        .updateTable("messages")
        .set({ held: 0, released_by: userId, released_at: now })
        .where("account_id", "=", accountId)
        .where("conversation_id", "=", conversationId)
        .where("id", "=", messageId)
        .where("held", "=", 1)
        .returning("id")
        .executeTakeFirst();
      if (!released) return null;
      const row = await this.messagesWithFiles(tx).where("messages.id", "=", messageId).executeTakeFirstOrThrow();
      const message = toMessage(row);
      await auditMessage(tx, { accountId, userId, action: "message.release" }, message, now);
      const eventId = await appendEvent(tx, accountId, conversationId, "message", message, now);
      return { message, eventId };
    });
  }

  async messages(conversationId: string): Promise<Message[]> {
    const rows = await this.messagesWithFiles()
      .where("messages.conversation_id", "=", conversationId)
      .orderBy("messages.id")
      .execute();
    return rows.map(toMessage);
  }

  async file(accountId: string, id: string): Promise<(StoredFile & { conversationId: string }) | null> {
    const row = await this.db
      .selectFrom("files")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? { ...toFile(row), conversationId: row.conversation_id } : null;
  }

  /** This agent's preview override for a chat: true, false, or null to follow their default. */
  async previewOverride(userId: string, conversationId: string): Promise<boolean | null> {
    const row = await this.db
      .selectFrom("preview_overrides")
      .select("show")
      .where("user_id", "=", userId)
      .where("conversation_id", "=", conversationId)
      .executeTakeFirst();
    return row ? row.show === 1 : null;
  }

  async setPreviewOverride(userId: string, conversationId: string, show: boolean | null): Promise<void> {
    if (show === null) {
      await this.db
        .deleteFrom("preview_overrides")
        .where("user_id", "=", userId)
        .where("conversation_id", "=", conversationId)
        .execute();
      return;
    }
    await this.db
      .insertInto("preview_overrides")
      .values({ user_id: userId, conversation_id: conversationId, show: show ? 1 : 0 })
      .onConflict((oc) => oc.columns(["user_id", "conversation_id"]).doUpdateSet({ show: show ? 1 : 0 }))
      .execute();
  }

  /** Logs an account-wide event (no conversation), such as a policy change. */
  async appendAccountEvent(accountId: string, type: string, data: unknown, now: number): Promise<number> {
    return appendEvent(this.db, accountId, null, type, data, now);
  }

  /**
   * Events after `afterId`, oldest first: of one conversation, or of the whole account. Asked for at
   * once by many streams (every console of an account, when one event comes), the same read is made
   * once and its answer shared: the events are read-only to their readers.
   */
  eventsAfter(accountId: string, afterId: number, conversationId: string | null): Promise<readonly StoredEvent[]> {
    const key = `${accountId}\n${afterId}\n${conversationId ?? ""}`;
    let read = this.reading.get(key);
    if (read === undefined) {
      read = this.readEvents(accountId, afterId, conversationId);
      this.reading.set(key, read);
      const settled = () => void this.reading.delete(key);
      read.then(settled, settled);
    }
    return read;
  }

  private async readEvents(
    accountId: string,
    afterId: number,
    conversationId: string | null,
    limit = 500,
  ): Promise<StoredEvent[]> {
    let query = this.db
      .selectFrom("events")
      .select(["id", "conversation_id", "type", "data"])
      .where("account_id", "=", accountId)
      .where("id", ">", afterId);
    if (conversationId !== null) query = query.where("conversation_id", "=", conversationId);
    const rows = await query.orderBy("id").limit(limit).execute();
    return rows.map((row) => ({
      id: Number(row.id),
      conversationId: row.conversation_id,
      type: row.type,
      data: JSON.parse(row.data) as unknown,
    }));
  }

  /** The newest event id of the account, where a fresh stream starts. */
  async lastEventId(accountId: string): Promise<number> {
    const row = await this.db
      .selectFrom("events")
      .select((eb) => eb.fn.max("id").as("id"))
      .where("account_id", "=", accountId)
      .executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  /** The newest message of each of `conversationIds` (of this account), for the chat list's preview line. */
  async lastMessages(accountId: string, conversationIds: readonly string[]): Promise<Map<string, Message>> {
    const found = new Map<string, Message>();
    if (conversationIds.length === 0) return found;
    const rows = await this.messagesWithFiles()
      .where(
        "messages.id",
        "in",
        this.db
          .selectFrom("messages")
          .select((eb) => eb.fn.max<number>("id").as("id"))
          .where("account_id", "=", accountId)
          .where("conversation_id", "in", [...conversationIds])
          // A held message is no chat's preview line: agents do not read it until it is released.
          .where("held", "=", 0)
          .groupBy("conversation_id"),
      )
      .execute();
    for (const row of rows) found.set(row.conversation_id, toMessage(row));
    return found;
  }

  /** Messages with their files (and who released a held one), as toMessage() reads them. */
  private messagesWithFiles(db: Db = this.db) {
    return db
      .selectFrom("messages")
      .leftJoin("files", "files.id", "messages.file_id")
      .leftJoin("users", "users.id", "messages.user_id")
      .leftJoin("users as releasers", "releasers.id", "messages.released_by")
      .select([
        "messages.id",
        "messages.conversation_id",
        "messages.author",
        "messages.user_id",
        "users.display_name as agent_name",
        "users.avatar_file_id as agent_avatar",
        "messages.text",
        "messages.created_at",
        "files.id as file_id",
        "files.name",
        "files.size",
        "files.kind",
        "files.mime",
        "files.category",
        "messages.screening",
        "messages.held",
        "messages.released_at",
        "releasers.display_name as releaser_name",
        "releasers.email as releaser_email",
      ]);
  }
}

type CloseReason = "agent" | "blocked" | "visitor" | "spam";

/** The columns a close sets. */
function closing(reason: CloseReason | "ignored", now: number): Partial<ConversationTable> {
  return { status: "closed", closed_at: now, closed_reason: reason };
}

/** Within `tx`: moves the conversation from one of `from` as `set` says, and logs its event; null when it was elsewhere. */
async function changeStatus(
  tx: Db,
  accountId: string,
  id: string,
  from: ConversationStatus[],
  set: (status: ConversationStatus) => Partial<ConversationTable>,
  now: number,
): Promise<Changed | null> {
  await lockConversation(tx, id);
  const current = await tx
    .selectFrom("conversations")
    .select("status")
    .where("account_id", "=", accountId)
    .where("id", "=", id)
    .executeTakeFirst();
  if (!current || !from.includes(current.status)) return null;
  await tx.updateTable("conversations").set(set(current.status)).where("id", "=", id).execute();
  const row = await tx.selectFrom("conversations").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const conversation = toConversation(row);
  const eventId = await appendEvent(tx, accountId, id, "conversation", conversation, now);
  return { conversation, eventId };
}

/**
 * Holds the conversation's row until the transaction ends, so a close and a message, or two accepts,
 * on two instances happen one after the other. PostgreSQL locks a row an UPDATE touches (a no-op
 * one included); SQLite runs one write transaction at a time anyway.
 */
async function lockConversation(tx: Db, id: string): Promise<void> {
  await tx
    .updateTable("conversations")
    .set((eb) => ({ status: eb.ref("status") }))
    .where("id", "=", id)
    .execute();
}

/** Who did what to a message, for the account's audit log: held by screening (no user), revealed, released. */
interface MessageAudit {
  accountId: string;
  userId: string | null;
  action: "message.hold" | "message.reveal" | "message.release";
}

async function auditMessage(db: Db, audit: MessageAudit, message: Message, now: number): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      account_id: audit.accountId,
      user_id: audit.userId,
      action: audit.action,
      detail: JSON.stringify({ conversationId: message.conversationId, messageId: message.id }),
      created_at: now,
    })
    .execute();
}

/** A unique index refused the row: PostgreSQL's 23505, SQLite's SQLITE_CONSTRAINT_UNIQUE. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE";
}

async function appendEvent(
  db: Db,
  accountId: string,
  conversationId: string | null,
  type: string,
  data: unknown,
  now: number,
): Promise<number> {
  const row = await db
    .insertInto("events")
    .values({
      account_id: accountId,
      conversation_id: conversationId,
      type,
      data: JSON.stringify(data),
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(row.id);
}
