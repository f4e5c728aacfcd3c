// Every limit the server keeps on inputs and on what it holds in memory, in one place, so a reader can
// see them together and an attacker's test knows where to look. Request bodies' limits are per route
// (http/request-body.ts); the rate limits' budgets are LIMITS below, counted by protection/rate-limit.ts.

/** A password longer than this is refused before it is hashed: scrypt's cost grows with what it reads. */
export const MAX_PASSWORD_CHARS = 200;

/**
 * Hashes computed at once: a burst of sign-ins holds at most 256 MiB and two of libuv's four threads,
 * leaving the others to file reads; the rest wait their turn (in order, so every sign-in waits alike).
 */
export const MAX_HASHES_AT_ONCE = 2;

/** A page URL of 4096 characters (the verdict's cap) makes a ticket of about 6 KB; anything longer is forged. */
export const MAX_TICKET_CHARS = 8192;

/** The longest file name kept (`X-File-Name`): what file systems allow. */
export const MAX_FILE_NAME_CHARS = 255;

/** Origins whose CORS answer is remembered per compiled policy (http/cors.ts). */
export const MAX_REMEMBERED_ORIGINS = 1000;

// Tor has about 2,000 exits; a list a hundred times longer is not a Tor exit list.
export const MAX_TOR_EXITS = 200_000;

// The Tor Project's list is about 30 KB; a file far larger (or one huge line) is not read into memory.
export const MAX_TOR_LIST_BYTES = 16 * 1024 * 1024;

/**
 * ALTCHA's payload in base64 is 500–900 characters: five fields, `took` and `test`, and a salt of up
 * to 400. Anything much longer is not one, whatever fields it holds.
 */
export const MAX_SOLUTION_CHARS = 1024;

/** More keys than this in one window are not counted: see `take`. */
export const MAX_COUNTED_KEYS = 1_000_000;

/**
 * A reader this many bytes behind (written and not yet taken, with the new events that arrived
 * since it last drained) is dropped: a tab keeps up, and one that stopped reading must hold nothing here.
 */
export const MAX_UNSENT_BYTES = 1024 * 1024;

/** Chats remembered at most; emptied when full, which at worst lets one extra event through each. */
export const MAX_TYPING_REMEMBERED = 50_000;

/** The most rules one CSV may restore, expired lines included: a paste's limit. */
export const MAX_CSV_RULES = 10_000;

/**
 * The longest record read, in bytes: an export's longest (a 500-character comment of 3-byte
 * characters, quoted, an agent's email, two times) is under 2,000. csv-parse stops at it, so one
 * endless field costs no more than this.
 */
export const MAX_CSV_RECORD_BYTES = 4_096;

/** Response lengths whose header list is kept per header set (server.ts): the verdict's answers come in a few. */
export const MAX_LENGTHS_PER_SET = 64;

/**
 * Rules one account's people may hold (automatic protection's aside). The verdict's cost does not
 * grow with them (bench/verdict.ts runs 100k), but each change recompiles them all and the console
 * lists them: a cap keeps one account from making every change slow for the server.
 */
export const MAX_RULES_PER_ACCOUNT = 100_000;

/**
 * Automatic protection's live rules per account: a budget of its own, so a flood can neither fill
 * the cap the owner needs nor be let through by it. Past the budget the oldest automatic rules give
 * way rather than the new ban failing: under a long attack the newest bans are the ones in use.
 */
export const MAX_AUTOMATIC_RULES_PER_ACCOUNT = 10_000;

/**
 * A ZIP upload up to this size (with what its chunks cost to keep) is kept in memory while it is inspected
 * (files/inspection/held-copy.ts), the size of the largest nested ZIP opened in memory; larger ones are
 * read back from the store.
 */
export const MAX_HELD_UPLOAD_BYTES = 16 * 1024 * 1024;

/** What all the uploads being inspected at once keep in memory: four of the largest, then the store is read. */
export const MAX_HELD_BYTES = 64 * 1024 * 1024;

export const MAX_PAGE_PARAM_CHARS = 4096;

export const MAX_REMEMBERED_PAGE_CHARS = 512;

/** What a limit is called and allows: `name` is plural and reads in "Too many NAME: try again in 12 s." */
export interface LimitSpec {
  name: string;
  limit: number;
  windowMs: number;
}

/** Every shared limit, its budget and window. */
export const LIMITS = {
  // Sign-in (auth/sign-in-limits.ts): attempts per address; failures per address, per user and address,
  // and per user across addresses (past which only addresses the user signed in from may try).
  loginByIp: { name: "sign-in attempts", limit: 30, windowMs: 60_000 },
  loginFailuresByIp: { name: "sign-in attempts", limit: 100, windowMs: 3_600_000 },
  loginFailuresByUserAndIp: { name: "sign-in attempts", limit: 10, windowMs: 15 * 60_000 },
  loginFailuresByUser: { name: "sign-in attempts", limit: 50, windowMs: 15 * 60_000 },
  // Wrong two-factor codes per user, from any address or session: only a right code gives one back (a
  // right password does not), so guessing a six-digit code stays ten tries an hour (routes/two-factor.ts).
  twoFactorFailuresByUser: { name: "two-factor codes", limit: 10, windowMs: 3_600_000 },
  // Its own budget: page views cannot spend what a chat needs, and signing is capped by itself.
  ticket: { name: "requests", limit: 60, windowMs: 60_000 },
  conversationStart: { name: "new chats", limit: 10, windowMs: 60_000 },
  // Event streams opened per address or console session: reconnects after a dropped network fit easily.
  streamOpen: { name: "event streams opened", limit: 30, windowMs: 60_000 },
  message: { name: "messages", limit: 30, windowMs: 60_000 },
  // Agents are insiders: limited per conversation at a rate no person types (Chatwoot's 200 a minute).
  agentMessage: { name: "messages", limit: 200, windowMs: 60_000 },
  // A visitor's downloads of their chat's files, per address: a link clicked again and again must not
  // turn the server into a file mirror.
  download: { name: "downloads", limit: 30, windowMs: 60_000 },
  // A disk fills from one address no faster than 200 MiB an hour.
  uploadBytes: { name: "uploads", limit: 200 * 1024 * 1024, windowMs: 3_600_000 },
} as const satisfies Record<string, LimitSpec>;

export type LimitName = keyof typeof LIMITS;

/** Every shared limit's spec: LIMITS, unless a test server lowers one it must exceed (Config's limits). */
export type Limits = Readonly<Record<LimitName, LimitSpec>>;
