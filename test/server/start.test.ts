// npm start's first-run link, the setup route it opens, and a clear error for a taken port.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dataDir = mkdtempSync(join(tmpdir(), "hatch-start-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs `npm start`'s entry until it prints the first-run link (or `until`), then stops it. */
function start(until: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { env: { ...process.env, DATA_DIR: dataDir, PORT: "0" } });
    let out = "";
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no match in: ${out}`));
    }, 15_000);
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      if (until.test(out)) {
        clearTimeout(timer);
        child.kill("SIGTERM");
        child.on("exit", () => resolve(out));
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
  });
}

describe("npm start", () => {
  it("prints the resolved configuration and a one-time first-run link on an empty data directory", async () => {
    const out = await start(/#\/setup\/[\w-]{43}/);
    expect(out).toContain(`DATA_DIR=${dataDir}`);
    expect(out).toContain("TRUST_PROXY=none");
    expect(out).toMatch(/GEOIP_DB=.*geo-whois-asn-country\.mmdb/);
  });

  it("makes the link create the account and its owner once", async () => {
    const { startHarness } = await import("./harness");
    const h = await startHarness();
    try {
      const token = await h.server.deps.accounts.createSetupToken(Date.now());
      const body = { token, account: "new-shop", name: "New Shop", email: "me@new.test", password: "a good long password" };
      const post = (json: unknown) => fetch(`${h.url}/api/v1/console/setup`, { method: "POST", headers: { "content-type": "application/json", origin: h.origin }, body: JSON.stringify(json) });
      const weak = await post({ ...body, password: "short" });
      expect(weak.status).toBe(400);
      // A taken account id is refused without spending the link.
      const taken = await post({ ...body, account: "acme" });
      expect((await taken.json()).error.fields.account).toBe("That account id is taken.");
      expect(await h.server.deps.accounts.accountExists("new-shop")).toBe(false);
      const created = await post(body);
      expect(created.status).toBe(201);
      expect(created.headers.get("set-cookie")).toContain("hatch_session=");
      expect(await created.json()).toMatchObject({ account: "new-shop", user: { role: "owner", email: "me@new.test" } });
      const again = await post({ ...body, account: "second-shop" });
      expect(again.status).toBe(403);
      expect(await h.server.deps.accounts.accountExists("second-shop")).toBe(false);
    } finally {
      await h.stop();
    }
  });
});

describe("a taken port", () => {
  it("is refused with a message naming the port", async () => {
    const { startHarness } = await import("./harness");
    const { loadConfig } = await import("../../server/config");
    const { startServer } = await import("../../server/server");
    const h = await startHarness();
    try {
      const port = new URL(h.url).port;
      await expect(startServer(loadConfig({ HOST: "127.0.0.1", PORT: port, DATA_DIR: mkdtempSync(join(tmpdir(), "hatch-port-")) }))).rejects.toThrow(`Port ${port} on 127.0.0.1 is in use`);
    } finally {
      await h.stop();
    }
  });
});
