// Starts one throwaway PostgreSQL and one Redis for the whole test run, on free loopback ports, and
// stops them after. Each test server takes its own database and its own Redis database number
// (test/server/shared-services.ts), so test files running side by side never meet.
import type { TestProject } from "vitest/node";
import { startPostgres, startRedis } from "../demo/services";
import { hashPassword } from "../server/auth/passwords";
import { PASSWORD, TEST_PASSWORD_COST } from "./server/password";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
    redisUrl: string;
    /** PASSWORD's hash at TEST_PASSWORD_COST, made once for the run. */
    passwordHash: string;
  }
}

export default async function setup(project: TestProject) {
  const [postgres, redis, passwordHash] = await Promise.all([
    startPostgres(),
    startRedis(),
    hashPassword(PASSWORD, TEST_PASSWORD_COST),
  ]);
  project.provide("passwordHash", passwordHash);
  project.provide("postgresUrl", postgres.url);
  project.provide("redisUrl", redis.url);
  return async () => {
    await Promise.all([postgres.stop(), redis.stop()]);
  };
}
