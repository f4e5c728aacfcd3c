// Fixed-window rate limits per key (an address, an account and email); over the limit is a 429 with
// Retry-After. In memory: one process is the embedded default; several would move this to Redis.

import { formatNetwork, networkOf } from "../policy/cidr";
import { formatIp, unmapIpv4, type IpAddress } from "../policy/ip";
import { ApiError } from "./errors";

export interface RateLimit {
  /** Counts one hit for `key`; throws a 429 when the window's budget is spent. */
  hit(key: string, now: number): void;
  /** Adds `cost` to `key`'s window without refusing: for work measured after it is done (bytes stored). */
  charge(key: string, now: number, cost: number): void;
}

/** Windows kept before stale ones are swept, so memory follows the active keys. */
const SWEEP_AT_KEYS = 10_000;

/** `name` is plural and reads in "Too many NAME: try again in 12 s." */
export function rateLimit(name: string, limit: number, windowMs: number): RateLimit {
  const windows = new Map<string, { start: number; count: number }>();
  function windowOf(key: string, now: number) {
    let window = windows.get(key);
    if (window === undefined || now - window.start >= windowMs) {
      if (windows.size > SWEEP_AT_KEYS) for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k);
      window = { start: now, count: 0 };
      windows.set(key, window);
    }
    return window;
  }
  return {
    hit(key, now) {
      const window = windowOf(key, now);
      window.count++;
      if (window.count > limit) {
        const retryAfter = Math.max(1, Math.ceil((window.start + windowMs - now) / 1000));
        throw new ApiError(429, "rate_limited", `Too many ${name}: try again in ${retryAfter} s.`, undefined, { "Retry-After": String(retryAfter) });
      }
    },
    charge(key, now, cost) {
      windowOf(key, now).count += cost;
    },
  };
}

/**
 * The key an address is limited under: IPv4 as it is, IPv6 by its /64, since one subscriber
 * usually holds a whole /64 and could otherwise rotate through it.
 */
export function addressKey(ip: IpAddress): string {
  const address = unmapIpv4(ip);
  return address.version === 4 ? formatIp(address) : formatNetwork(networkOf(address, 64));
}
