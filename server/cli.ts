// The `hatch` command: run the server, and create accounts and users without the console
// (passwords come from stdin). `npm run build` compiles it to build/hatch.js, which bin/hatch.js runs.
//   npx hatch serve
//   npx hatch account create ACCOUNT --owner EMAIL [--name NAME]
//   npx hatch user add ACCOUNT EMAIL --role agent|owner
//   npx hatch backup FILE | npx hatch restore FILE

import { parseArgs } from "node:util";
import type { Role } from "../policy/wire";
import { hashPassword, passwordProblem } from "./auth/passwords";
import { backup, Refusal, restore } from "./backup";
import { loadConfig } from "./config";
import { parseWith } from "./http/errors";
import { accountIdSchema, emailSchema } from "./routes/session";
import { serve } from "./serve";
import { AccountStore } from "./store/accounts";
import { openDb } from "./store/db";

const USAGE = `Usage:
  npx hatch serve
  npx hatch account create ACCOUNT --owner EMAIL [--name NAME]
  npx hatch user add ACCOUNT EMAIL --role agent|owner
  npx hatch backup FILE     (SQLite: the database and uploads of DATA_DIR into one archive, while Hatch serves)
  npx hatch restore FILE    (fills an empty DATA_DIR from such an archive; on PostgreSQL use pg_dump/pg_restore)
The password is read from standard input, e.g.: echo "$PASSWORD" | npx hatch user add acme ann@acme.test --role agent`;

class UsageError extends Error {}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("Password (then Enter, Ctrl-D): ");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
  const problem = passwordProblem(password);
  if (problem) throw new UsageError(`The password on standard input is not usable: ${problem}`);
  return password;
}

function valid<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const fields = (error as { fields?: Record<string, string> }).fields;
    throw new UsageError(`${what}: ${fields ? Object.values(fields).join(" ") : (error as Error).message}`);
  }
}

async function run(argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { owner: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
  });
  const [noun, verb, ...rest] = positionals;
  const db = await openDb(loadConfig());
  const accounts = new AccountStore(db);
  try {
    if (noun === "account" && verb === "create" && rest.length === 1 && values.owner) {
      const account = valid("ACCOUNT", () => parseWith(accountIdSchema, rest[0]));
      const email = valid("--owner", () => parseWith(emailSchema, values.owner));
      const password = await readPassword();
      if (!(await accounts.createAccount(account, values.name ?? account, Date.now())))
        throw new UsageError(`Account "${account}" exists already.`);
      await accounts.addUser(account, email, await hashPassword(password), "owner", Date.now());
      return `Created account ${account} with owner ${email}.`;
    }
    if (
      noun === "user" &&
      verb === "add" &&
      rest.length === 2 &&
      (values.role === "agent" || values.role === "owner")
    ) {
      const account = valid("ACCOUNT", () => parseWith(accountIdSchema, rest[0]));
      const email = valid("EMAIL", () => parseWith(emailSchema, rest[1]));
      if (!(await accounts.accountExists(account)))
        throw new UsageError(`There is no account "${account}": create it with \`npx hatch account create\`.`);
      const password = await readPassword();
      const user = await accounts.addUser(
        account,
        email,
        await hashPassword(password),
        values.role as Role,
        Date.now(),
      );
      if (!user) throw new UsageError(`${email} is already a user of ${account}.`);
      return `Added ${email} to ${account} as ${values.role}.`;
    }
    throw new UsageError(USAGE);
  } finally {
    await db.destroy();
  }
}

try {
  const argv = process.argv.slice(2);
  const [command, file] = argv;
  // Before run(): these must not open (and so create or migrate) the store.
  if (argv.length === 1 && command === "serve") await serve();
  else if (command === "backup" || command === "restore") {
    if (argv.length !== 2 || !file) throw new UsageError(USAGE);
    const config = valid("The environment", () => loadConfig());
    console.log(command === "backup" ? await backup(config, file) : await restore(config, file));
  } else console.log(await run(argv));
} catch (error) {
  const refused = error instanceof UsageError || error instanceof Refusal;
  console.error(refused ? error.message : error);
  process.exitCode = refused ? 2 : 1;
}
