// The release path an operator follows: `npm pack` the built checkout, install the tarball with
// `--omit=dev` into an empty folder, create an account with the installed `hatch`, and run
// `hatch serve` with plain node: it answers a verdict and carries a chat both ways. Nothing of the
// build or test tools is installed.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, visitorSession } from "./harness";
import { SseReader } from "./sse";

const PASSWORD = "a release password";
const SITE = "https://shop.example";
const work = mkdtempSync(join(tmpdir(), "hatch-release-"));
const app = join(work, "app");
const dataDir = join(work, "data");
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a command to its end; throws with what it printed when it fails. */
function run(command: string, args: string[], options: { cwd: string; input?: string; env?: Record<string, string> }) {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    input: options.input,
    env: { ...process.env, ...options.env },
    encoding: "utf8",
  });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Starts the installed `hatch serve` and answers its URL once it listens. */
function serve(): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(join(app, "node_modules/.bin/hatch"), ["serve"], {
    cwd: app,
    env: { ...process.env, DATA_DIR: dataDir, PORT: "0" },
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hatch serve did not start:\n${out}`)), 20_000);
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const url = /Console: (http:\/\/\S+)\/console\//.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, stop: () => (child.kill("SIGTERM"), exited) });
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
  });
}

beforeAll(() => {
  if (!existsSync("build/hatch.js")) throw new Error("build/hatch.js is missing: run `npm run build` first.");
  const tarball = run("npm", ["pack", "--silent", "--pack-destination", work], { cwd: process.cwd() }).trim();
  run("mkdir", ["-p", app], { cwd: work });
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "hatch-release-test", private: true }));
  // The npm cache already holds every package; the registry is asked only for what it lacks.
  // better-sqlite3's install script is the only one (it builds from source here, ~50 s, as `npm ci`
  // of this checkout already did on this Node): skipped, and the checkout's build put in its place.
  run(
    "npm",
    ["install", join(work, tarball), "--omit=dev", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"],
    { cwd: app },
  );
  const binding = "better-sqlite3/build/Release/better_sqlite3.node";
  mkdirSync(dirname(join(app, "node_modules", binding)), { recursive: true });
  copyFileSync(join("node_modules", binding), join(app, "node_modules", binding));
}, 300_000);

describe("a release installed with --omit=dev", () => {
  it("ships the compiled server and browser files, and no build or test tool", () => {
    const installed = join(app, "node_modules");
    for (const shipped of [
      "hatch/build/hatch.js",
      "hatch/dist/loader.js",
      "hatch/dist/console/index.html",
      "hatch/deploy/hatch.service",
    ])
      expect(existsSync(join(installed, shipped)), shipped).toBe(true);
    for (const tool of ["tsx", "vite", "vitest", "esbuild", "typescript", "playwright-core"])
      expect(existsSync(join(installed, tool)), tool).toBe(false);
    expect(existsSync(join(installed, "hatch/server"))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(installed, "hatch/package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies)).not.toContain("tsx");
  });

  it("creates an account with the installed hatch, then serves a verdict and carries a chat", async () => {
    const created = run("node_modules/.bin/hatch", ["account", "create", "acme", "--owner", "owner@acme.test"], {
      cwd: app,
      input: `${PASSWORD}\n`,
      env: { DATA_DIR: dataDir },
    });
    expect(created.trim()).toBe("Created account acme with owner owner@acme.test.");

    const server = await serve();
    try {
      const verdict = await fetch(`${server.url}/api/v1/widget/acme/verdict?page=${encodeURIComponent(`${SITE}/`)}`, {
        headers: { origin: SITE },
      });
      expect(await verdict.json()).toMatchObject({ show: true });
      const loader = await fetch(`${server.url}/loader.js`);
      expect(loader.status).toBe(200);

      const visitor = await visitorSession({ url: server.url });
      expect(
        (
          await visitor.fetch(`/conversations/${visitor.conversationId}/messages`, {
            method: "POST",
            json: { text: "Hello from a release" },
          })
        ).status,
      ).toBe(201);
      const owner = await signIn(server.url, "acme", "owner@acme.test", { password: PASSWORD });
      const chat = (await (await owner.fetch(`/api/v1/console/conversations/${visitor.conversationId}`)).json()) as {
        messages: { text: string }[];
      };
      expect(chat.messages.map((m) => m.text)).toContain("Hello from a release");

      const stream = new SseReader<{ type?: string; text?: string }>(
        await visitor.fetch(`/conversations/${visitor.conversationId}/events`),
      );
      await owner.fetch(`/api/v1/console/conversations/${visitor.conversationId}/accept`, { method: "POST" });
      await owner.fetch(`/api/v1/console/conversations/${visitor.conversationId}/messages`, {
        method: "POST",
        json: { text: "Hello from the agent" },
      });
      await expect
        .poll(() => stream.events.some((event) => JSON.stringify(event.data).includes("Hello from the agent")))
        .toBe(true);
      await stream.close();
    } finally {
      await server.stop();
    }
  });
});
