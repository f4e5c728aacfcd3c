// deploy/hatch.service as systemd reads it: `systemd-analyze verify` finds nothing to say, its
// sandbox leaves Hatch only its state directory to write, and its limits fit what Hatch promises
// (100,000 visitors' event streams under LimitNOFILE, a stop that outlasts the shutdown's grace).

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config";
import { visitorStreamCap } from "../../server/realtime/open-streams";
import { SHUTDOWN_GRACE_MS } from "../../server/server";

const UNIT = readFileSync(new URL("../../deploy/hatch.service", import.meta.url), "utf8");
const work = mkdtempSync(join(tmpdir(), "hatch-service-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every value a key is given in the unit, in order (a key may be repeated). */
function settings(key: string): string[] {
  return UNIT.split("\n").flatMap((line) => (line.startsWith(`${key}=`) ? [line.slice(key.length + 1)] : []));
}

/**
 * The unit as a file named hatch.service. `systemd-analyze verify` refuses an ExecStart whose program
 * does not exist, and the unit names /usr/bin/node, where Debian's nodejs and NodeSource put it; the
 * Node running this test may live elsewhere, so it takes that program's place and nothing else changes.
 */
function unitFile(): string {
  const [program] = settings("ExecStart")[0]!.split(" ");
  expect(program).toBe("/usr/bin/node");
  const path = join(work, "hatch.service");
  writeFileSync(path, UNIT.replace(`ExecStart=${program} `, `ExecStart=${process.execPath} `));
  return path;
}

function systemdAnalyze(args: string[]) {
  return spawnSync("/usr/bin/systemd-analyze", args, { encoding: "utf8" });
}

describe("deploy/hatch.service", () => {
  it("passes systemd-analyze verify without a word", () => {
    const verified = systemdAnalyze(["verify", unitFile()]);
    // verify exits 0 on unknown keys and bad values too: only silence means systemd took every line.
    expect(verified.stdout + verified.stderr).toBe("");
    expect(verified.status).toBe(0);
  });

  it.each([
    ["User", "hatch"],
    ["StateDirectory", "hatch"],
    ["Environment", "DATA_DIR=/var/lib/hatch"],
    ["ProtectSystem", "strict"],
    ["NoNewPrivileges", "yes"],
    ["PrivateTmp", "yes"],
    ["ProtectHome", "yes"],
    ["Restart", "on-failure"],
  ])("sets %s=%s", (key, value) => {
    expect(settings(key)).toEqual([value]);
  });

  it("lets Hatch write its DATA_DIR, the state directory, and nothing else", () => {
    for (const widening of ["ReadWritePaths", "BindPaths"]) expect(settings(widening), widening).toEqual([]);
    // systemd's own score of the sandbox, from 0 (locked down) to 10, in tenths: this unit scores 1.7
    // with Debian 12's systemd; running it as root, or without PrivateTmp and PrivateDevices, scores 2 or more.
    const security = systemdAnalyze(["security", "--offline=yes", "--threshold=19", unitFile()]);
    expect(security.status, security.stdout + security.stderr).toBe(0);
  });

  it("has descriptors for 100,000 visitors' event streams", () => {
    const [limit] = settings("LimitNOFILE").map(Number);
    expect(visitorStreamCap(loadConfig({ DATA_DIR: work }, limit).maxStreams)).toBeGreaterThanOrEqual(100_000);
  });

  it("waits for the shutdown's grace before it kills Hatch", () => {
    const [timeoutSeconds] = settings("TimeoutStopSec").map(Number);
    expect(timeoutSeconds! * 1000).toBeGreaterThan(SHUTDOWN_GRACE_MS);
  });
});
