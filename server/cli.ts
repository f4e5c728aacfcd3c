// The `hatch` command: run the server, and create accounts and users without the console
// (passwords come from stdin). `npm run build` compiles it to build/hatch.js, which bin/hatch.js runs.
//   npx hatch serve
//   npx hatch account create ACCOUNT --owner EMAIL [--name NAME]
//   npx hatch user add ACCOUNT EMAIL --role agent|owner
//   npx hatch user role ACCOUNT EMAIL agent|owner | user remove|password|reset-2fa ACCOUNT EMAIL
//   npx hatch backup FILE | npx hatch restore FILE

import { parseArgs } from "node:util";
import { orRefused, CommandRefusal } from "./command-refusal";
import type { TeamCommand, TeamOptions } from "./team-commands";

const USAGE = `Usage:
  npx hatch serve
  npx hatch account create ACCOUNT --owner EMAIL [--name NAME]
  npx hatch user add ACCOUNT EMAIL --role agent|owner
  npx hatch user role ACCOUNT EMAIL agent|owner
  npx hatch user remove ACCOUNT EMAIL     (their sessions end; their chats keep their name)
  npx hatch user password ACCOUNT EMAIL   (sets a new one and ends their sessions)
  npx hatch user reset-2fa ACCOUNT EMAIL  (turns two-factor sign-in off, for one who lost their phone)
  npx hatch backup FILE     (SQLite: the database and uploads of DATA_DIR into one archive, while Hatch serves)
  npx hatch restore FILE    (fills an empty DATA_DIR from such an archive; on PostgreSQL use pg_dump/pg_restore)
  npx hatch --help
Passwords are read from standard input, e.g.: echo "$PASSWORD" | npx hatch user add acme ann@acme.test --role agent`;

const HELP = new Set(["--help", "-h", "help"]);

interface CommandShape {
  /** How many words follow `noun verb`. */
  words: number;
  options: readonly (keyof TeamOptions)[];
  required: readonly (keyof TeamOptions)[];
}

/** The account and user commands: another option is refused, not ignored, and all before the store opens. */
const TEAM_COMMANDS: Readonly<Record<TeamCommand, CommandShape>> = {
  "account create": { words: 1, options: ["owner", "name"], required: ["owner"] },
  "user add": { words: 2, options: ["role"], required: ["role"] },
  "user role": { words: 3, options: [], required: [] },
  "user remove": { words: 2, options: [], required: [] },
  "user password": { words: 2, options: [], required: [] },
  "user reset-2fa": { words: 2, options: [], required: [] },
};

/** The arguments, or the usage when an option is unknown (parseArgs' own error names no command). */
function parsed(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: { owner: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
    });
  } catch (error) {
    throw new CommandRefusal(`${(error as Error).message}\n\n${USAGE}`);
  }
}

// Each command imports what it needs when it runs: `--help` and a mistyped command answer at once,
// and the account commands do not load the server.
async function teamCommand(argv: string[]): Promise<string> {
  const { values, positionals } = parsed(argv);
  const [noun, verb, ...words] = positionals;
  const command = `${noun} ${verb}`;
  const shape = Object.hasOwn(TEAM_COMMANDS, command) ? TEAM_COMMANDS[command as TeamCommand] : undefined;
  if (!shape || words.length !== shape.words || shape.required.some((option) => values[option] === undefined))
    throw new CommandRefusal(USAGE);
  const stray = Object.keys(values).find((option) => !shape.options.includes(option as keyof TeamOptions));
  if (stray) throw new CommandRefusal(`--${stray} does not go with \`hatch ${command}\`.\n\n${USAGE}`);
  const { runTeamCommand } = await import("./team-commands");
  return runTeamCommand(command as TeamCommand, words, values);
}

async function backupCommand(command: "backup" | "restore", file: string): Promise<string> {
  const [{ backup, restore }, { loadConfig }] = await Promise.all([import("./backup"), import("./config")]);
  const config = orRefused("The environment", () => loadConfig());
  return command === "backup" ? backup(config, file) : restore(config, file);
}

try {
  const argv = process.argv.slice(2);
  const [command, file] = argv;
  // Before anything opens (and so creates or migrates) the store.
  if (argv.length === 0 || argv.some((arg) => HELP.has(arg))) console.log(USAGE);
  else if (argv.length === 1 && command === "serve") await (await import("./serve")).serve();
  else if (command === "backup" || command === "restore") {
    if (argv.length !== 2 || !file) throw new CommandRefusal(USAGE);
    console.log(await backupCommand(command, file));
  } else console.log(await teamCommand(argv));
} catch (error) {
  const refused = error instanceof CommandRefusal;
  console.error(refused ? error.message : error);
  process.exitCode = refused ? 2 : 1;
}
