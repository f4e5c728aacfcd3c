// Everything a route needs, built once from the configuration: one process on SQLite, or one of
// many instances on PostgreSQL and Redis. Tests build it over a temp DATA_DIR (and their own servers).
// server/'s top level wires the concern folders together (this, config, server, app, cli, serve, backup);
// the folders' order, lowest first, is in test/architecture.test.ts.

import type { Config } from "./config";
import { loadAssets, type Assets } from "./http/assets";
import { addressResolver, type AddressResolver } from "./http/client-ip";
import { Metrics } from "./http/metrics";
import { createLog, type Log } from "./log";
import { openGeo, type Geo } from "./networks/geo";
import { networks, type Networks } from "./networks/networks";
import { inProcessChanges, type Changes } from "./realtime/changes";
import { OpenStreams } from "./realtime/open-streams";
import { diskFileStore, type FileStore } from "./store/file-store";
import { createPolicyCache, type PolicyCache } from "./verdict/policy-cache";
import { Redis } from "ioredis";
import { carriedSecret, createTickets, type Tickets } from "./auth/tickets";
import { challengedAddresses, type ChallengedAddresses } from "./protection/challenged-addresses";
import { createChallenges, type Challenges } from "./protection/challenges";
import { memoryRateLimit, redisRateLimit, type LimitName, type Limits, type RateLimit } from "./protection/rate-limit";
import { WindowCounter } from "./protection/window-counter";
import { createPresence, type Presence } from "./realtime/presence";
import { redisChanges } from "./realtime/redis-changes";
import { typingGate, type TypingGate } from "./realtime/typing";
import { AccountStore } from "./store/accounts";
import { ConversationStore } from "./store/conversations";
import { openDb, type Db } from "./store/db";
import { FileChunkStore } from "./store/file-chunks";
import { PolicyStore } from "./store/policies";
import { PresenceStore } from "./store/presence";
import { ProtectionStore } from "./store/protection";
import { RuleStore } from "./store/rules";
import { SettingStore } from "./store/settings";

export interface Deps {
  config: Config;
  assets: Assets;
  db: Db;
  accounts: AccountStore;
  policies: PolicyStore;
  rules: RuleStore;
  conversations: ConversationStore;
  /** Whether each account has an agent online, for the verdict without a query (presence.ts). */
  presence: Presence;
  presenceStore: PresenceStore;
  /** Typing indicators, throttled per chat and side (typing.ts). */
  typing: TypingGate;
  /** Automatic protection's counts and the proof-of-work solutions used. */
  protection: ProtectionStore;
  /** The addresses automatic protection challenges rather than bans (challenged-addresses.ts). */
  challengedAddresses: ChallengedAddresses;
  /** Proof-of-work challenges: made, and solutions checked (challenges.ts). */
  challenges: Challenges;
  /** Where uploaded files' bytes are kept: DATA_DIR on SQLite, the database on PostgreSQL. */
  files: FileStore;
  changes: Changes;
  policyCache: PolicyCache;
  geo: Geo;
  streams: OpenStreams;
  networks: Networks;
  metrics: Metrics;
  log: Log;
  tickets: Tickets;
  clientAddress: AddressResolver;
  /**
   * The verdict's per-address limit stays in this process and synchronous: it is what keeps the
   * verdict free of promises, and a page view's limit need not be exact across instances.
   */
  verdictLimit: WindowCounter<string | number>;
  limits: Record<LimitName, RateLimit>;
  /** The clock, replaceable in tests that need time to pass. */
  now: () => number;
  /** How often event streams send a keep-alive and re-check their reader; tests shorten it. */
  heartbeatMs: number;
  /** Redis, when instances share it: for /readyz. */
  redis: Redis | null;
  /** Closes the store and Redis. */
  close(): Promise<void>;
}

/** Event streams send a keep-alive this often, and notice a reader gone or no longer allowed. */
const HEARTBEAT_MS = 15_000;

/** The verdict's budget per address: a page view a second, with room for a burst of tabs. */
const VERDICTS_PER_MINUTE = 120;

/** How long a compiled policy may serve before it is read again, when a change can be missed (Redis). */
const SHARED_POLICY_MAX_AGE_MS = 30_000;

export async function createDeps(config: Config): Promise<Deps> {
  const db = await openDb(config);
  const shared = config.redisUrl === null ? null : await connectRedis(config.redisUrl);
  const policies = new PolicyStore(db);
  const rules = new RuleStore(db);
  const changes = shared ? await redisChanges(shared.redis, shared.subscriber) : inProcessChanges();
  const clock = () => deps.now();
  const streams = new OpenStreams(changes, HEARTBEAT_MS / 1000, config.maxStreams);
  const log = createLog(config.logLevel);
  const visitorNetworks = networks(config, log);
  const secret = await new SettingStore(db).secret(carriedSecret(config.dataDir));
  const protection = new ProtectionStore(db);
  const presenceStore = new PresenceStore(db);
  const deps: Deps = {
    config,
    assets: loadAssets(),
    db,
    accounts: new AccountStore(db),
    policies,
    rules,
    conversations: new ConversationStore(db),
    protection,
    presenceStore,
    presence: createPresence(presenceStore, changes, clock),
    typing: typingGate(changes, clock),
    challengedAddresses: challengedAddresses(protection, changes, {
      maxAgeMs: shared ? SHARED_POLICY_MAX_AGE_MS : Number.POSITIVE_INFINITY,
      clock,
    }),
    challenges: createChallenges(secret, protection),
    files: config.databaseUrl === null ? diskFileStore(config.dataDir) : new FileChunkStore(db),
    changes,
    policyCache: createPolicyCache(policies, rules, changes, {
      maxAgeMs: shared ? SHARED_POLICY_MAX_AGE_MS : Number.POSITIVE_INFINITY,
      clock,
      // A policy that reads the AS of visitors starts the ASN data loading, so verdicts soon have it.
      compiled: (policy) => {
        if (policy.needsAs) void visitorNetworks.ready().catch(() => undefined);
      },
    }),
    geo: openGeo(config.geoipDb),
    streams,
    networks: visitorNetworks,
    metrics: new Metrics(() => streams.size),
    log,
    tickets: createTickets(secret),
    clientAddress: addressResolver(config),
    verdictLimit: new WindowCounter(VERDICTS_PER_MINUTE, 60_000),
    limits: shared ? redisLimits(config.limits, shared.redis) : memoryLimits(config.limits, clock),
    now: Date.now,
    heartbeatMs: HEARTBEAT_MS,
    redis: shared?.redis ?? null,
    async close() {
      visitorNetworks.close();
      await db.destroy();
      if (shared)
        await Promise.all([shared.subscriber.quit(), shared.redis.quit()].map((quit) => quit.catch(() => undefined)));
    },
  };
  return deps;
}

/** Two connections: a subscribed Redis connection can do nothing but listen. */
async function connectRedis(url: string): Promise<{ redis: Redis; subscriber: Redis }> {
  // Commands wait for a reconnect rather than fail at once; limits fall back to memory meanwhile (rate-limit.ts).
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const subscriber = redis.duplicate();
  // An error event with no listener would crash the process; ioredis reconnects by itself.
  for (const connection of [redis, subscriber]) connection.on("error", () => undefined);
  try {
    await Promise.all([redis.connect(), subscriber.connect()]);
  } catch (error) {
    redis.disconnect();
    subscriber.disconnect();
    throw new Error(`REDIS_URL could not be reached: ${(error as Error).message}`, { cause: error });
  }
  return { redis, subscriber };
}

function redisLimits(specs: Limits, redis: Redis): Deps["limits"] {
  const entries = Object.entries(specs).map(([key, spec]) => [key, redisRateLimit(spec, redis, `hatch:limit:${key}`)]);
  return Object.fromEntries(entries) as Deps["limits"];
}

function memoryLimits(specs: Limits, clock: () => number): Deps["limits"] {
  const entries = Object.entries(specs).map(([key, spec]) => [key, memoryRateLimit(spec, clock)]);
  return Object.fromEntries(entries) as Deps["limits"];
}
