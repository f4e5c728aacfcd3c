// The process's limit on open file descriptors, read once at start: the connection and event-stream
// caps stay under it, so the store, the log and uploads still get a descriptor when clients hold many.
// Node has no API for it; Linux says it in /proc/self/limits (after Node raised the soft limit to the hard one).

import { readFileSync } from "node:fs";

/** Assumed where the limit cannot be read (not Linux): the soft limit most Linux shells start with. */
const DEFAULT_DESCRIPTOR_LIMIT = 1024;

/** The soft RLIMIT_NOFILE of this process, or DEFAULT_DESCRIPTOR_LIMIT where it cannot be read. */
export function descriptorLimit(): number {
  try {
    return softLimitIn(readFileSync("/proc/self/limits", "utf8")) ?? DEFAULT_DESCRIPTOR_LIMIT;
  } catch {
    return DEFAULT_DESCRIPTOR_LIMIT;
  }
}

/**
 * The soft limit on the `Max open files` line of a /proc/<pid>/limits text; null without one.
 * @example softLimitIn("Max open files            1024                 4096                 files") → 1024
 */
export function softLimitIn(limits: string): number | null {
  const soft = /^Max open files +(\d+) /m.exec(limits)?.[1];
  return soft === undefined ? null : Number(soft);
}
