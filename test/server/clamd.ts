// A throwaway clamd from the machine's own binaries (Debian: apt-get install -y clamav-daemon clamav),
// on a Unix socket in a temp folder and a free loopback port, with a signature database of our own:
// the official ones cannot be downloaded here. Its one signature finds MARKER anywhere in a file.
// Started per test file that needs it: with one signature it answers PING in about 0.1 s.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { freePort } from "../../demo/services";
import { clamdScanner } from "../../server/files/clamd";

export interface Clamd {
  /** `unix:/…/clamd.ctl` */
  socketUrl: string;
  /** `tcp://127.0.0.1:PORT` */
  tcpUrl: string;
  /** Stops it; both URLs then refuse connections. */
  stop(): Promise<void>;
}

export interface ClamdSettings {
  /** clamd's StreamMaxLength (e.g. `1M`): an INSTREAM past it is answered with an ERROR. */
  streamMaxLength?: string;
}

/** Bytes our signature finds; not a virus, and nowhere else in the project's files. */
export const MARKER = "HATCH-TEST-MARKER-7f3a9c-not-a-virus";
/** How clamd names a finding of MARKER: the signature's name, marked as not ClamAV's own. */
export const MARKER_SIGNATURE = "Hatch.Test.Marker.UNOFFICIAL";

const START_TIMEOUT_MS = 15_000;

/** A ClamAV binary where Debian puts it (clamd in /usr/sbin, which a non-root PATH may lack), else from PATH. */
function clamavBinary(path: string): string {
  if (existsSync(path)) return path;
  const found = spawnSync("sh", ["-c", `command -v ${basename(path)}`], { encoding: "utf8" }).stdout.trim();
  if (!found) throw new Error(`No ${basename(path)}: apt-get install -y clamav-daemon clamav`);
  return found;
}

/**
 * An extended (.ndb) signature, `name:target:offset:hex` (any file type, any offset), checked by
 * sigtool against a file holding MARKER so that a mistake shows here and not as a test finding nothing.
 */
function writeDatabase(dir: string): void {
  const database = join(dir, "hatch-test.ndb");
  writeFileSync(database, `Hatch.Test.Marker:0:*:${Buffer.from(MARKER).toString("hex")}\n`);
  const sample = join(dir, "sample");
  writeFileSync(sample, `before ${MARKER} after`);
  const checked = spawnSync(clamavBinary("/usr/bin/sigtool"), [`--test-sigs=${database}`, sample], {
    encoding: "utf8",
  });
  rmSync(sample);
  if (!checked.stdout.includes("MATCH: ** YES **"))
    throw new Error(`sigtool does not find the marker with the test signature:\n${checked.stdout}${checked.stderr}`);
}

/** Logs to its own folder, never to syslog or /var/log; listens on loopback only. */
function writeConfig(dir: string, port: number, settings: ClamdSettings): string {
  const config = join(dir, "clamd.conf");
  const lines = [
    `DatabaseDirectory ${join(dir, "db")}`,
    `LocalSocket ${join(dir, "clamd.ctl")}`,
    `TCPSocket ${port}`,
    "TCPAddr 127.0.0.1",
    "Foreground yes",
    `LogFile ${join(dir, "clamd.log")}`,
    "LogSyslog no",
    `PidFile ${join(dir, "clamd.pid")}`,
    ...(settings.streamMaxLength ? [`StreamMaxLength ${settings.streamMaxLength}`] : []),
  ];
  writeFileSync(config, `${lines.join("\n")}\n`);
  return config;
}

/** Starts clamd and waits until it answers PING on both sockets. */
export async function startClamd(settings: ClamdSettings = {}): Promise<Clamd> {
  const dir = mkdtempSync(join(tmpdir(), "hatch-clamd-"));
  const db = join(dir, "db");
  mkdirSync(db);
  writeDatabase(db);
  const port = await freePort();
  const config = writeConfig(dir, port, settings);
  let log = "";
  // As root it stays root: clamd changes user only when the configuration has a User line.
  const child = spawn(clamavBinary("/usr/sbin/clamd"), ["--config-file", config], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.on("error", (error) => (log += `${error.message}\n`));
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const clamd = { socketUrl: `unix:${join(dir, "clamd.ctl")}`, tcpUrl: `tcp://127.0.0.1:${port}` };
  const probes = [clamd.socketUrl, clamd.tcpUrl].map((url) => clamdScanner(url, { pingTimeoutMs: 500 }));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await Promise.all(probes.map((probe) => probe.ping()))).every(Boolean)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`clamd did not start (exit code ${child.exitCode}):\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    ...clamd,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
