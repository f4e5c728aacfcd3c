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
import type { LimitName, Limits } from "./limits";
import { memoryRateLimit, redisRateLimit, type RateLimit } from "./protection/rate-limit";
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
import { AvatarStore } from "./store/avatars";
import { ReplyStore } from "./store/replies";
import { TwoFactorStore } from "./store/two-factor";
import { SessionStore } from "./store/sessions";
import { RetentionStore } from "./store/retention";
import { VisitorDataStore } from "./store/visitor-data";
import { RuleStore } from "./store/rules";
import { SettingStore } from "./store/settings";
import { OutboxStore } from "./store/outbox";
import { createOutbox, type Outbox } from "./outbox/worker";
import { createMailer } from "./mail/mailer";
import { mailSender, mailSwitchedOff } from "./mail/notify";
import { WebhookStore } from "./store/webhooks";
import { webhookSender } from "./webhooks/events";
import { clamdScanner, type VirusScanner } from "./files/clamd";
import { MAX_AUTOMATIC_RULES_PER_ACCOUNT, MAX_RULES_PER_ACCOUNT } from "./limits";

export interface Deps {
  // What it runs on.
  readonly config: Config;
  readonly now: Seams["now"];
  readonly bodyDeadlineBaseMs: Seams["bodyDeadlineBaseMs"];
  readonly log: Log;
  readonly metrics: Metrics;
  /** Redis, when instances share it: for /readyz. */
  readonly redis: Redis | null;
  /** Closes the store and Redis. */
  close(): Promise<void>;

  // The store (store/).
  readonly db: Db;
  readonly accounts: AccountStore;
  readonly policies: PolicyStore;
  readonly rules: RuleStore;
  readonly conversations: ConversationStore;
  readonly replies: ReplyStore;
  readonly twoFactor: TwoFactorStore;
  readonly sessions: SessionStore;
  readonly visitorData: VisitorDataStore;
  readonly retention: RetentionStore;
  /** The images uploaded as avatars, and which user shows which. */
  readonly avatars: AvatarStore;
  readonly presenceStore: PresenceStore;
  /** Automatic protection's counts and the proof-of-work solutions used. */
  readonly protection: ProtectionStore;
  /** Where uploaded files' bytes are kept: DATA_DIR on SQLite, the database on PostgreSQL. */
  readonly files: FileStore;
  /** Mail and webhooks waiting to go, sent from the store so a restart loses none (outbox/worker.ts). */
  readonly outbox: Outbox;
  /** Each account's webhook endpoints (webhooks/events.ts sends to them). */
  readonly webhooks: WebhookStore;
  /** The outbox's rows, for the console's list of deliveries. */
  readonly outboxStore: OutboxStore;
  /** clamd (CLAMD_URL), which every upload is streamed to before it is stored; null: no virus scanning. */
  readonly scanner: VirusScanner | null;
  /** CLAMD_OPTIONAL: while the scanner does not answer, uploads go unscanned (and /readyz stays ready) rather than refused. */
  readonly scannerOptional: boolean;

  // The verdict's inputs (verdict/, networks/, http/).
  readonly policyCache: PolicyCache;
  readonly geo: Geo;
  readonly networks: Networks;
  readonly clientAddress: AddressResolver;
  /**
   * The verdict's per-address limit stays in this process and synchronous: it is what keeps the
   * verdict free of promises, and a page view's limit need not be exact across instances.
   */
  readonly verdictLimit: WindowCounter<string | number>;
  readonly assets: Assets;

  // Visitors and agents told at once (realtime/).
  readonly changes: Changes;
  readonly streams: OpenStreams;
  readonly heartbeatMs: Seams["heartbeatMs"];
  /** Whether each account has an agent online, for the verdict without a query (presence.ts). */
  readonly presence: Presence;
  /** Typing indicators, throttled per chat and side (typing.ts). */
  readonly typing: TypingGate;

  // Who may do what, how often (auth/, protection/).
  readonly tickets: Tickets;
  readonly limits: Record<LimitName, RateLimit>;
  /** The addresses automatic protection challenges rather than bans (challenged-addresses.ts). */
  readonly challengedAddresses: ChallengedAddresses;
  /** Proof-of-work challenges: made, and solutions checked (challenges.ts). */
  readonly challenges: Challenges;
}

/**
 * What a test replaces, given when the deps are made and never assigned afterwards (the members of
 * Deps are readonly), so no test leaves a changed server to the next.
 */
export interface Seams {
  /** The clock: tests move theirs forward to let a ticket, a challenge or a ban expire. */
  now: () => number;
  /** How often event streams send a keep-alive and re-check their reader; tests shorten it. */
  heartbeatMs: number;
  /** Rules one account's people may hold, and automatic protection's own budget; tests lower them rather than store 100,000. */
  ruleCaps: { people: number; automatic: number };
  /** How long any request body may take to arrive, before its route's allowance by size (http/request-body.ts); tests shorten it. */
  bodyDeadlineBaseMs: number;
}

const REAL_SEAMS: Seams = {
  now: Date.now,
  // Event streams send a keep-alive this often, and notice a reader gone or no longer allowed.
  heartbeatMs: 15_000,
  ruleCaps: { people: MAX_RULES_PER_ACCOUNT, automatic: MAX_AUTOMATIC_RULES_PER_ACCOUNT },
  bodyDeadlineBaseMs: 10_000,
};

/** The verdict's budget per address: a page view a second, with room for a burst of tabs. */
const VERDICTS_PER_MINUTE = 120;

/** How long a compiled policy may serve before it is read again, when a change can be missed (Redis). */
const SHARED_POLICY_MAX_AGE_MS = 30_000;

export async function createDeps(config: Config, replaced: Partial<Seams> = {}): Promise<Deps> {
  const seams = { ...REAL_SEAMS, ...replaced };
  const db = await openDb(config);
  const shared = config.redisUrl === null ? null : await connectRedis(config.redisUrl);
  const policies = new PolicyStore(db);
  const rules = new RuleStore(db, seams.ruleCaps.people, seams.ruleCaps.automatic);
  const changes = shared ? await redisChanges(shared.redis, shared.subscriber) : inProcessChanges();
  const clock = seams.now;
  const streams = new OpenStreams(changes, seams.heartbeatMs / 1000, config.maxStreams);
  const log = createLog(config.logLevel);
  const visitorNetworks = networks(config, log);
  const secret = await new SettingStore(db).secret(carriedSecret(config.dataDir));
  const protection = new ProtectionStore(db);
  const presenceStore = new PresenceStore(db);
  const accounts = new AccountStore(db);
  const conversations = new ConversationStore(db);
  const mailer = config.smtpUrl === null ? null : createMailer(config.smtpUrl, config.mailFrom);
  const webhooks = new WebhookStore(db);
  const outboxStore = new OutboxStore(db);
  const outbox: Outbox = createOutbox(
    outboxStore,
    {
      ...(mailer === null
        ? {}
        : {
            mail: mailSender(mailer, {
              conversations,
              accounts,
              policies,
              rules,
              outbox: () => outbox,
              config,
              now: clock,
            }),
          }),
      webhook: webhookSender(webhooks, {
        now: clock,
        allowPrivate: config.webhooksAllowPrivate,
        // Owners hear of it by mail when there is mail; the log and the Integrations page say it always.
        async switchedOff(endpointId, accountId) {
          log.warn(
            { endpoint: endpointId, account: accountId },
            "webhook endpoint switched off after failing for a day",
          );
          if (mailer !== null) await mailSwitchedOff({ outbox, accounts, config }, accountId, endpointId, clock());
        },
      }),
    },
    { now: clock, log },
  );
  const deps: Deps = {
    config,
    assets: loadAssets(),
    db,
    accounts,
    policies,
    rules,
    conversations,
    replies: new ReplyStore(db),
    twoFactor: new TwoFactorStore(db),
    sessions: new SessionStore(db),
    visitorData: new VisitorDataStore(db),
    retention: new RetentionStore(db),
    avatars: new AvatarStore(db),
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
    outbox,
    outboxStore,
    webhooks,
    scanner: config.clamdUrl === null ? null : clamdScanner(config.clamdUrl),
    scannerOptional: config.clamdOptional,
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
    now: seams.now,
    heartbeatMs: seams.heartbeatMs,
    bodyDeadlineBaseMs: seams.bodyDeadlineBaseMs,
    redis: shared?.redis ?? null,
    async close() {
      await outbox.stop();
      mailer?.close();
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
