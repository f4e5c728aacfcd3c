// A fresh PostgreSQL database and Redis database number for one test server, on the servers the run
// started (test/global-setup.ts). The "postgres" test project runs the server tests this way.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

/** Whether this test run's server tests use PostgreSQL and Redis (the "postgres" project) or SQLite. */
export const onSharedServices = process.env.HATCH_TEST_STORE === "postgres";

/**
 * DATABASE_URL and REDIS_URL of a store and a Redis database nobody else uses. The database is empty,
 * or `migrated`: a copy of one today's migrations ran in (a test server's start then has none to run).
 */
export async function sharedServicesEnv({ migrated = false } = {}): Promise<{
  DATABASE_URL: string;
  REDIS_URL: string;
}> {
  const server = inject("postgresUrl");
  const name = `hatch_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}${migrated ? ` TEMPLATE ${inject("postgresTemplate")}` : ""}`);
  } finally {
    await client.end();
  }
  return {
    DATABASE_URL: server.replace(/\/postgres$/, `/${name}`),
    REDIS_URL: `${inject("redisUrl")}/${await redisDatabase()}`,
  };
}

/** A Redis database number of its own, handed out by a counter in database 0. */
async function redisDatabase(): Promise<number> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(inject("redisUrl"));
  try {
    return await redis.incr("hatch-test:databases");
  } finally {
    redis.disconnect();
  }
}
