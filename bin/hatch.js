#!/usr/bin/env node
// `npx hatch …`: administration without the console. Runs the TypeScript CLI through tsx.
import { register } from "tsx/esm/api";

register();
await import("../server/cli.ts");
