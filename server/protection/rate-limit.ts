// Rate limits per key (an address, an account and email, a conversation); over the limit is a 429
// with Retry-After. Two implementations of one asynchronous interface: in one process the counts
// live in a WindowCounter; with many instances, in Redis through rate-limiter-flexible, so a flood
// split across instances meets the same limit.

import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { formatNetwork, networkOf } from "../../policy/cidr";
import { formatIp, unmapIpv4, type IpAddress } from "../../policy/ip";
import { ApiError } from "../http/errors";
import type { LimitSpec } from "../limits";
import { WindowCounter } from "./window-counter";

export interface RateLimit {
  /** Takes `cost` (default 1) from `key`'s budget, or throws a 429 and takes nothing. */
  take(key: string, cost?: number): Promise<void>;
  /** Gives back part of what was taken: the unused rest of an upload's reservation. */
  refund(key: string, cost: number): Promise<void>;
}

/** The contract's 429 for a limit that needs `waitMs` more milliseconds. */
export function tooMany(name: string, waitMs: number): ApiError {
  const retryAfter = Math.max(1, Math.ceil(Math.min(waitMs, 24 * 3600 * 1000) / 1000));
  return new ApiError(429, "rate_limited", `Too many ${name}: try again in ${retryAfter} s.`, {
    headers: {
      "Retry-After": String(retryAfter),
    },
  });
}

/** A limit counted in this process; `clock` is read per call, so tests can move time. */
export function memoryRateLimit(spec: LimitSpec, clock: () => number): RateLimit {
  const counter = new WindowCounter(spec.limit, spec.windowMs);
  return {
    async take(key, cost = 1) {
      const waitMs = counter.take(key, clock(), cost);
      if (waitMs > 0) throw tooMany(spec.name, waitMs);
    },
    async refund(key, cost) {
      counter.refund(key, clock(), cost);
    },
  };
}

/**
 * A limit counted in Redis, shared by every instance. Redis counts fixed windows (rate-limiter-flexible's
 * script: a key's window starts at its first hit). While Redis is unreachable each instance counts in
 * its own memory instead (the library's insurance limiter): limits hold, per instance, rather than fail.
 */
export function redisRateLimit(spec: LimitSpec, redis: Redis, keyPrefix: string): RateLimit {
  const options = { points: spec.limit, duration: Math.ceil(spec.windowMs / 1000), keyPrefix };
  const limiter = new RateLimiterRedis({
    ...options,
    storeClient: redis,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory(options),
  });
  return {
    async take(key, cost = 1) {
      try {
        await limiter.consume(key, cost);
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        // A refused take takes nothing, as in memory: give back what the script counted.
        await limiter.reward(key, cost);
        throw tooMany(spec.name, cost > spec.limit ? Number.POSITIVE_INFINITY : refusal.msBeforeNext);
      }
    },
    async refund(key, cost) {
      await limiter.reward(key, cost);
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

/**
 * addressKey() for the verdict's own counter, which keys a page view per address on every request:
 * an IPv4 address as its 32 bits (a small integer to a Map: no string to build or hash), IPv6 as its
 * /64's 64 bits in base 36 (formatting the network as text showed in the bench).
 */
export function verdictLimitKey(ip: IpAddress): string | number {
  const address = unmapIpv4(ip);
  return address.version === 4 ? address.value | 0 : (address.value >> 64n).toString(36);
}
