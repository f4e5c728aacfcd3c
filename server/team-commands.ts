// The `hatch account …` and `hatch user …` commands: accounts and their team without the console,
// passwords read from standard input. cli.ts loads this module only for these commands.

import type { Role } from "../policy/wire";
import { hashPassword, passwordProblem } from "./auth/passwords";
import { loadConfig } from "./config";
import { parseWith } from "./http/errors";
import { orRefused, CommandRefusal } from "./command-refusal";
import { accountIdSchema, emailSchema } from "./auth/user-fields";
import { AccountStore, type TeamActor, type TeamRefusal, type User } from "./store/accounts";
import { openDb } from "./store/db";
import { TwoFactorStore } from "./store/two-factor";

/** The stores the commands change. */
interface Stores {
  accounts: AccountStore;
  twoFactor: TwoFactorStore;
}

export type TeamCommand =
  "account create" | "user add" | "user role" | "user remove" | "user password" | "user reset-2fa";
export interface TeamOptions {
  owner?: string;
  name?: string;
  role?: string;
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("Password (then Enter, Ctrl-D): ");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
  const problem = passwordProblem(password);
  if (problem) throw new CommandRefusal(`The password on standard input is not usable: ${problem}`);
  return password;
}

const BY_COMMAND: TeamActor = { via: "command line" };

/** Runs `hatch NOUN VERB WORDS…`, once cli.ts has checked it is one of its commands with the words and options it takes. */
export async function runTeamCommand(command: TeamCommand, words: string[], values: TeamOptions): Promise<string> {
  const db = await openDb(orRefused("The environment", () => loadConfig()));
  try {
    const accounts = new AccountStore(db);
    if (command === "account create") return await createAccount(accounts, words[0], values);
    if (command === "user add") return await addUser(accounts, words[0], words[1], values.role);
    const change = TEAM_CHANGES[command];
    const stores = { accounts, twoFactor: new TwoFactorStore(db) };
    return await change(stores, await member(accounts, words[0], words[1]), words[2]);
  } finally {
    await db.destroy();
  }
}

async function createAccount(accounts: AccountStore, accountArg = "", values: TeamOptions): Promise<string> {
  const account = orRefused("ACCOUNT", () => parseWith(accountIdSchema, accountArg));
  const email = orRefused("--owner", () => parseWith(emailSchema, values.owner));
  const password = await readPassword();
  if (!(await accounts.createAccount(account, values.name ?? account, Date.now())))
    throw new CommandRefusal(`Account "${account}" exists already.`);
  await accounts.addUser(account, email, await hashPassword(password), "owner", Date.now());
  return `Created account ${account} with owner ${email}.`;
}

async function addUser(accounts: AccountStore, accountArg = "", emailArg = "", role = ""): Promise<string> {
  const account = orRefused("ACCOUNT", () => parseWith(accountIdSchema, accountArg));
  const email = orRefused("EMAIL", () => parseWith(emailSchema, emailArg));
  if (!isRole(role)) throw new CommandRefusal(`--role is "agent" or "owner", not "${role}".`);
  if (!(await accounts.accountExists(account)))
    throw new CommandRefusal(`There is no account "${account}": create it with \`npx hatch account create\`.`);
  const user = await accounts.addUser(account, email, await hashPassword(await readPassword()), role, Date.now());
  if (!user) throw new CommandRefusal(`${email} is already a user of ${account}.`);
  return `Added ${email} to ${account} as ${role}.`;
}

function isRole(role: string): role is Role {
  return role === "agent" || role === "owner";
}

/** A user of an account by its id and their email, or a message that says which is wrong. */
async function member(accounts: AccountStore, accountArg = "", emailArg = ""): Promise<User> {
  const account = orRefused("ACCOUNT", () => parseWith(accountIdSchema, accountArg));
  const email = orRefused("EMAIL", () => parseWith(emailSchema, emailArg));
  const user = await accounts.findLogin(account, email);
  if (!user) throw new CommandRefusal(`${email} is not a user of ${account}: \`npx hatch user add\` adds them.`);
  return user;
}

function changed(result: User | TeamRefusal): User {
  if (result === "last_owner")
    throw new CommandRefusal(
      "That is the account's last owner: make someone else an owner first, so the account keeps one.",
    );
  if (result === "not_found") throw new CommandRefusal("That user was removed meanwhile.");
  return result;
}

/** The changes to a user of the team, audited as the command line's doing. */
const TEAM_CHANGES: Record<
  Exclude<TeamCommand, "account create" | "user add">,
  (stores: Stores, user: User, word?: string) => Promise<string>
> = {
  async "user role"({ accounts }, user, role = "") {
    if (!isRole(role)) throw new CommandRefusal(`The role is "agent" or "owner", not "${role}".`);
    changed(await accounts.changeRole(user.account_id, user.id, role, BY_COMMAND, Date.now()));
    return `${user.email} is now ${role === "owner" ? "an owner" : "an agent"} of ${user.account_id}.`;
  },
  async "user remove"({ accounts }, user) {
    changed(await accounts.removeUser(user.account_id, user.id, BY_COMMAND, Date.now()));
    // No channel reaches a running server from here without Redis: its open consoles notice at their next heartbeat.
    return `Removed ${user.email} from ${user.account_id}: their sessions have ended; consoles they have open close within 15 seconds.`;
  },
  async "user password"({ accounts }, user) {
    const hash = await hashPassword(await readPassword());
    await accounts.setPassword(user, hash, null, BY_COMMAND, Date.now());
    return `Set a new password for ${user.email} of ${user.account_id}: their sessions have ended.`;
  },
  // For the user who lost their phone and their backup codes: they sign in with the password alone, then enrol again.
  async "user reset-2fa"({ twoFactor }, user) {
    if (!(await twoFactor.disable(user, BY_COMMAND, Date.now())))
      throw new CommandRefusal(
        `${user.email} of ${user.account_id} does not sign in with two-factor: nothing to reset.`,
      );
    return `Turned two-factor sign-in off for ${user.email} of ${user.account_id}: they sign in with their password, and can enrol a phone again in Options.`;
  },
};
