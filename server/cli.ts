// The `hatch` command: run the server, and create accounts and users without the console
// (passwords come from stdin). `npm run build` compiles it to build/hatch.js, which bin/hatch.js runs.
//   npx hatch serve
//   npx hatch account create ACCOUNT --owner EMAIL [--name NAME]
//   npx hatch user add ACCOUNT EMAIL --role agent|owner
//   npx hatch user role ACCOUNT EMAIL agent|owner | user remove ACCOUNT EMAIL | user password ACCOUNT EMAIL
//   npx hatch backup FILE | npx hatch restore FILE

import { parseArgs } from "node:util";
import type { Role } from "../policy/wire";
import { hashPassword, passwordProblem } from "./auth/passwords";
import { backup, Refusal, restore } from "./backup";
import { loadConfig } from "./config";
import { parseWith } from "./http/errors";
import { accountIdSchema, emailSchema } from "./routes/session";
import { serve } from "./serve";
import { AccountStore, type TeamActor, type TeamRefusal, type User } from "./store/accounts";
import { openDb } from "./store/db";

const USAGE = `Usage:
  npx hatch serve
  npx hatch account create ACCOUNT --owner EMAIL [--name NAME]
  npx hatch user add ACCOUNT EMAIL --role agent|owner
  npx hatch user role ACCOUNT EMAIL agent|owner
  npx hatch user remove ACCOUNT EMAIL     (their sessions end; their chats keep their name)
  npx hatch user password ACCOUNT EMAIL   (sets a new one and ends their sessions)
  npx hatch backup FILE     (SQLite: the database and uploads of DATA_DIR into one archive, while Hatch serves)
  npx hatch restore FILE    (fills an empty DATA_DIR from such an archive; on PostgreSQL use pg_dump/pg_restore)
  npx hatch --help
Passwords are read from standard input, e.g.: echo "$PASSWORD" | npx hatch user add acme ann@acme.test --role agent`;

const HELP = new Set(["--help", "-h", "help"]);
/** The commands run() knows, as `noun verb`, with the options each takes: another's is refused, not ignored. */
const COMMANDS: ReadonlyMap<string, readonly string[]> = new Map([
  ["account create", ["owner", "name"]],
  ["user add", ["role"]],
  ["user role", []],
  ["user remove", []],
  ["user password", []],
]);

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

const BY_COMMAND: TeamActor = { via: "command line" };

/** The arguments, or the usage when an option is unknown (parseArgs' own error names no command). */
function parsed(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: { owner: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
}

async function run(argv: string[]): Promise<string> {
  const { values, positionals } = parsed(argv);
  const [noun, verb, ...rest] = positionals;
  // An unknown command is told the usage before anything opens (and so creates or migrates) the store.
  const teamChange =
    noun === "user" && Object.hasOwn(TEAM_CHANGES, verb ?? "")
      ? TEAM_CHANGES[verb as keyof typeof TEAM_CHANGES]
      : undefined;
  const options = COMMANDS.get(`${noun} ${verb}`);
  if (!options || (teamChange && rest.length !== teamChange.arguments)) throw new UsageError(USAGE);
  const stray = Object.keys(values).find((option) => !options.includes(option));
  if (stray) throw new UsageError(`--${stray} does not go with \`hatch ${noun} ${verb}\`.\n\n${USAGE}`);
  const db = await openDb(valid("The environment", () => loadConfig()));
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
    if (teamChange) return await teamChange.run(accounts, await member(accounts, rest[0], rest[1]), rest[2]);
    throw new UsageError(USAGE);
  } finally {
    await db.destroy();
  }
}

/** A user of an account by its id and their email, or a message that says which is wrong. */
async function member(accounts: AccountStore, accountArg = "", emailArg = ""): Promise<User> {
  const account = valid("ACCOUNT", () => parseWith(accountIdSchema, accountArg));
  const email = valid("EMAIL", () => parseWith(emailSchema, emailArg));
  const user = await accounts.findLogin(account, email);
  if (!user) throw new UsageError(`${email} is not a user of ${account}: \`npx hatch user add\` adds them.`);
  return user;
}

function changed(result: User | TeamRefusal): User {
  if (result === "last_owner")
    throw new UsageError(
      "That is the account's last owner: make someone else an owner first, so the account keeps one.",
    );
  if (result === "not_found") throw new UsageError("That user was removed meanwhile.");
  return result;
}

/** The changes to a user of the team: `user VERB ACCOUNT EMAIL [ARG]`, audited as the command's doing. */
const TEAM_CHANGES = {
  role: {
    arguments: 3,
    async run(accounts: AccountStore, user: User, role = ""): Promise<string> {
      if (role !== "agent" && role !== "owner") throw new UsageError(`The role is "agent" or "owner", not "${role}".`);
      changed(await accounts.changeRole(user.account_id, user.id, role, BY_COMMAND, Date.now()));
      return `${user.email} is now ${role === "owner" ? "an owner" : "an agent"} of ${user.account_id}.`;
    },
  },
  remove: {
    arguments: 2,
    async run(accounts: AccountStore, user: User): Promise<string> {
      changed(await accounts.removeUser(user.account_id, user.id, BY_COMMAND, Date.now()));
      // No channel reaches a running server from here without Redis: its open consoles notice at their next heartbeat.
      return `Removed ${user.email} from ${user.account_id}: their sessions have ended; consoles they have open close within 15 seconds.`;
    },
  },
  password: {
    arguments: 2,
    async run(accounts: AccountStore, user: User): Promise<string> {
      const hash = await hashPassword(await readPassword());
      await accounts.setPassword(user, hash, null, BY_COMMAND, Date.now());
      return `Set a new password for ${user.email} of ${user.account_id}: their sessions have ended.`;
    },
  },
};

try {
  const argv = process.argv.slice(2);
  const [command, file] = argv;
  // Before run(): these must not open (and so create or migrate) the store.
  if (argv.length === 0 || argv.some((arg) => HELP.has(arg))) console.log(USAGE);
  else if (argv.length === 1 && command === "serve") await serve();
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
