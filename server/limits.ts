// Every limit the server keeps on inputs and on what it holds in memory, in one place, so a reader can
// see them together and an attacker's test knows where to look. Request bodies' limits are per route
// (http/request-body.ts), and the rate limits are protection/rate-limit.ts's LIMITS.

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

export const MAX_PAGE_PARAM_CHARS = 4096;

export const MAX_REMEMBERED_PAGE_CHARS = 512;
