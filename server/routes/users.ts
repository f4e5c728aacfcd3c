import { Hono } from "hono";
import type { ConsoleEnv } from "../console-auth";
import type { Deps } from "../deps";

export function userRoutes(_deps: Deps) {
  return new Hono<ConsoleEnv>();
}
