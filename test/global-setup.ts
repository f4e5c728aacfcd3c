// Starts one throwaway PostgreSQL and one Redis for the whole test run (both projects), on free loopback ports, and
// stops them after. Each test server takes its own database and its own Redis database number
// (test/server/shared-services.ts), so test files running side by side never meet.
import type { TestProject } from "vitest/node";
import { startPostgres, startRedis } from "../demo/services";
import { hashPassword } from "../server/auth/passwords";
import { openDb } from "../server/store/db";
import { PASSWORD, TEST_PASSWORD_COST } from "./server/password";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
    /** A database Hatch's migrations ran in once, for test servers to copy rather than migrate anew. */
    postgresTemplate: string;
    redisUrl: string;
    /** PASSWORD's hash at TEST_PASSWORD_COST, made once for the run. */
    passwordHash: string;
  }
}

type Services = [
  postgres: Awaited<ReturnType<typeof startPostgres>>,
  redis: Awaited<ReturnType<typeof startRedis>>,
  passwordHash: string,
];

const TEMPLATE = "hatch_migrated";

/** Makes TEMPLATE on a started PostgreSQL: a test server's start on a copy of it took ~70 ms less than one that migrated. */
async function withTemplate(postgres: Awaited<ReturnType<typeof startPostgres>>) {
  try {
    await postgres.createDatabase(TEMPLATE);
    const db = await openDb({ dataDir: "", databaseUrl: postgres.url.replace(/\/postgres$/, `/${TEMPLATE}`) });
    await db.destroy();
    return postgres;
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}

/** Both services and the hash; when one fails to start, the other is stopped before the run fails. */
async function startServices(): Promise<Services> {
  const [postgres, redis, hash] = await Promise.allSettled([
    startPostgres().then(withTemplate),
    startRedis(),
    hashPassword(PASSWORD, TEST_PASSWORD_COST),
  ]);
  if (postgres.status === "fulfilled" && redis.status === "fulfilled" && hash.status === "fulfilled")
    return [postgres.value, redis.value, hash.value];
  await Promise.all([postgres, redis].map((started) => (started.status === "fulfilled" ? started.value.stop() : null)));
  const failed = [postgres, redis, hash].find((result) => result.status === "rejected");
  throw failed?.reason;
}

// Vitest calls this once per project, and the root, each with a module of its own ("sqlite", "postgres"
// and "e2e" all run tests that use PostgreSQL and Redis): the first of them starts the services, the
// others share them through the process, and the last teardown stops them.
const SHARED = Symbol.for("hatch.test.services");
interface Shared {
  services: Promise<Services>;
  users: number;
}

/** The projects whose tests reach PostgreSQL and Redis; a run of the others alone (the components) starts neither. */
const USERS = new Set(["sqlite", "postgres", "e2e"]);

export default async function setup(project: TestProject) {
  if (!USERS.has(project.name)) return;
  const holder = globalThis as { [SHARED]?: Shared };
  const shared = (holder[SHARED] ??= { services: startServices(), users: 0 });
  shared.users++;
  const [postgres, redis, passwordHash] = await shared.services;
  project.provide("passwordHash", passwordHash);
  project.provide("postgresUrl", postgres.url);
  project.provide("postgresTemplate", TEMPLATE);
  project.provide("redisUrl", redis.url);
  return async () => {
    if (--shared.users > 0) return;
    delete holder[SHARED];
    await Promise.all([postgres.stop(), redis.stop()]);
  };
}
