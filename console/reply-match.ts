// Which canned replies the answer box offers for what is typed: "/" and a few letters of a shortcut.

import type { CannedReply } from "./types";

/** The picker shows this many at most: more is a list to search, not to scan. */
const SHOWN = 8;

/**
 * The replies offered for `draft`: none unless it is "/" and one word; shortcuts that start with the
 * word first, then those that hold it, each in shortcut order.
 * @example matchingReplies([{ shortcut: "refund", … }, { shortcut: "hello", … }], "/re") // [refund]
 */
export function matchingReplies(replies: readonly CannedReply[], draft: string): CannedReply[] {
  const typed = /^\/(\S*)$/u.exec(draft);
  if (!typed) return [];
  const word = (typed[1] ?? "").toLowerCase();
  const starts = replies.filter((reply) => reply.shortcut.startsWith(word));
  const holds = replies.filter((reply) => !reply.shortcut.startsWith(word) && reply.shortcut.includes(word));
  return [...starts, ...holds].slice(0, SHOWN);
}
