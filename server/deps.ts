// Everything a route needs, built once from the configuration. Tests build it over a temp DATA_DIR.

import { loadAssets, type Assets } from "./assets";
import { inProcessChanges, type Changes } from "./changes";
import { addressResolver, type AddressResolver } from "./client-ip";
import type { Config } from "./config";
import { openGeo, type Geo } from "./geo";
import { createPolicyCache, type PolicyCache } from "./policy-cache";
import { rateLimit, type RateLimit } from "./rate-limit";
import { AccountStore } from "./store/accounts";
import { ConversationStore } from "./store/conversations";
import { openDb, type Db } from "./store/db";
import { PolicyStore } from "./store/policies";
import { createTickets, loadSecret, type Tickets } from "./tickets";

export interface Deps {
  config: Config;
  assets: Assets;
  db: Db;
  accounts: AccountStore;
  policies: PolicyStore;
  conversations: ConversationStore;
  changes: Changes;
  policyCache: PolicyCache;
  geo: Geo;
  tickets: Tickets;
  clientAddress: AddressResolver;
  limits: {
    loginByIp: RateLimit;
    loginByUser: RateLimit;
    verdict: RateLimit;
    ticket: RateLimit;
    conversationStart: RateLimit;
    message: RateLimit;
    uploadBytes: RateLimit;
  };
  /** The clock, replaceable in tests that need time to pass. */
  now: () => number;
  /** How often event streams send a keep-alive and re-check their reader; tests shorten it. */
  heartbeatMs: number;
}

export async function createDeps(config: Config): Promise<Deps> {
  const db = await openDb(config.dataDir);
  const policies = new PolicyStore(db);
  const changes = inProcessChanges();
  return {
    config,
    assets: loadAssets(),
    db,
    accounts: new AccountStore(db),
    policies,
    conversations: new ConversationStore(db),
    changes,
    policyCache: createPolicyCache(policies, changes),
    geo: openGeo(config.geoipDb),
    tickets: createTickets(loadSecret(config.dataDir)),
    clientAddress: addressResolver(config),
    limits: {
      loginByIp: rateLimit("sign-in attempts", 30, 60_000),
      loginByUser: rateLimit("sign-in attempts", 10, 60_000),
      verdict: rateLimit("requests", 120, 60_000),
      // Its own budget: page views cannot spend what a chat needs, and signing is capped by itself.
      ticket: rateLimit("requests", 60, 60_000),
      conversationStart: rateLimit("new chats", 10, 60_000),
      message: rateLimit("messages", 30, 60_000),
      // A disk fills from one address no faster than 200 MiB an hour.
      uploadBytes: rateLimit("uploads", 200 * 1024 * 1024, 3_600_000),
    },
    now: Date.now,
    heartbeatMs: 15_000,
  };
}
