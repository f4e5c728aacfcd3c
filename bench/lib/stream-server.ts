// The server side of bench/streams.ts, in a process of its own so its memory is its alone: Hatch on
// a temp DATA_DIR with account `bench`, sessions made straight in the store (no scrypt), and answers
// to the parent's messages: `sessions` → tokens, `memory` → heap and RSS once settled, `announce`
// → one account-wide event. Needs --expose-gc.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../server/config";
import { announcePolicyChange } from "../../server/realtime/policy-events";
import { startServer } from "../../server/server";
import { settledMemory } from "./settled-memory";

type Ask = { ask: "sessions"; count: number } | { ask: "memory" } | { ask: "announce" } | { ask: "streams" };

const hatch = await startServer(
  loadConfig({
    HOST: "127.0.0.1",
    PORT: "0",
    DATA_DIR: mkdtempSync(join(tmpdir(), "hatch-streams-")),
    LOG_LEVEL: "silent",
  }),
);
const { accounts, now } = hatch.deps;
await accounts.createAccount("bench", "Bench", now());
const user = (await accounts.addUser("bench", "agent@bench.test", "x", "agent", now()))!;

process.on("message", async (message: Ask) => {
  if (message.ask === "sessions") {
    const tokens: string[] = [];
    for (let i = 0; i < message.count; i++) tokens.push(await accounts.createSession(user, now()));
    process.send?.({ tokens });
  } else if (message.ask === "memory") {
    process.send?.(await settledMemory());
  } else if (message.ask === "announce") {
    await announcePolicyChange(hatch.deps, "bench", "policy");
    process.send?.({ announced: true });
  } else {
    process.send?.({ streams: hatch.deps.streams.size });
  }
});
process.send?.({ url: hatch.url });
