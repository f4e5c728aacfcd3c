// Fixed-window rate limits per key (an IP, an account and email); over the limit is a 429 with Retry-After.
// In memory: one process is the embedded default; a multi-instance deployment would move this to Redis.

import { ApiError } from "./errors";

export interface RateLimit {
  /** Counts one hit for `key`; throws a 429 when the window's budget is spent. */
  hit(key: string, now: number): void;
}

export function rateLimit(name: string, limit: number, windowMs: number): RateLimit {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(key, now) {
      let window = windows.get(key);
      if (window === undefined || now - window.start >= windowMs) {
        // Drop stale windows now and then, so memory follows the active keys only.
        if (windows.size > 10_000) for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k);
        window = { start: now, count: 0 };
        windows.set(key, window);
      }
      window.count++;
      if (window.count > limit) {
        const retryAfter = Math.max(1, Math.ceil((window.start + windowMs - now) / 1000));
        throw new ApiError(429, "rate_limited", `Too many ${name}: try again in ${retryAfter} s.`, undefined, { "Retry-After": String(retryAfter) });
      }
    },
  };
}
