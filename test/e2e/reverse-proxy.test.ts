// The README's nginx and Caddy examples, as written, with Debian's nginx and Caddy in front of
// `hatch serve`: plain HTTP is sent to HTTPS, a blocked forwarded address is hidden and another shown,
// a visitor chats in Chromium with the agent's answer arriving over the stream, the largest file a
// policy allows goes through, and the widget carries on when Hatch is stopped and started again.
//
// Telling visitors apart: the proxy sets X-Forwarded-For from the address a client connects from,
// and every client of a test is on loopback. Two Chromiums resolve the README's server name, one to
// 127.0.0.1 and one to ::1, so the proxy forwards one or the other, while Hatch's socket peer is the
// proxy on 127.0.0.1 for both: a rule on 127.0.0.1 hides the first and shows the second only when
// Hatch judges the forwarded address and the proxy forwards the client's own.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freePort } from "../../demo/services";
import { MAX_UPLOAD_BYTES_LIMIT } from "../../policy/limits";

import { editPolicy, signIn, type ConsoleClient } from "../server/harness";
import {
  launchChromium,
  loaderSettled,
  newTab,
  snippetPage,
  startHostSite,
  verdictSettled,
  type HostSite,
} from "./browser";
import { hatchCli, startHatch, type HatchProcess } from "./hatch-process";
import { environmentOf, readmeBlock } from "./readme-blocks";
import { ask, SERVER_NAME, startCaddy, startNginx, type ProxyPorts, type RunningProxy } from "./reverse-proxies";

const PASSWORD = "a proxied password";
const work = mkdtempSync(join(tmpdir(), "hatch-reverse-proxy-"));
/** Plain text of exactly the largest size a policy may allow: stored as it is sent (images lose metadata). */
const largest = join(work, "largest.txt");

beforeAll(() => writeFileSync(largest, Buffer.alloc(MAX_UPLOAD_BYTES_LIMIT, "Hatch behind a proxy\n")));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Debian's Chromium headless shell, with the README's server name resolved to `address` and the test's certificates accepted. */
function launchResolving(address: string): Promise<Browser> {
  return launchChromium(["--ignore-certificate-errors", `--host-resolver-rules=MAP ${SERVER_NAME} ${address}`]);
}

/** Whether the message text has reached the visitor's chat log. */
const logHas = (page: Page, text: string) => async () => (await page.getByRole("log").textContent())?.includes(text);

describe.each([
  { proxy: "nginx", start: startNginx },
  { proxy: "Caddy", start: startCaddy },
])("Hatch behind $proxy, configured as the README says", ({ proxy, start }) => {
  const dir = mkdtempSync(join(work, `${proxy}-`));
  let env: Record<string, string>;
  let hatch: HatchProcess;
  let front: RunningProxy;
  let ports: ProxyPorts;
  let publicUrl: string;
  let site: HostSite;
  let overIpv4: Browser;
  let overIpv6: Browser;
  let owner: ConsoleClient;
  /** The visitor on ::1 whose chat the steps below carry on. */
  let visitor: Page;
  let conversationId: string;

  beforeAll(async () => {
    ports = { http: await freePort(), https: await freePort(), hatch: await freePort() };
    const readme = environmentOf(readmeBlock("## Behind a CDN or reverse proxy", "sh"));
    publicUrl = `${readme.PUBLIC_URL}:${ports.https}`;
    env = { ...readme, PORT: String(ports.hatch), PUBLIC_URL: publicUrl, DATA_DIR: join(dir, "data") };
    hatchCli(["account", "create", "acme", "--owner", "owner@acme.test"], env, `${PASSWORD}\n`);
    hatchCli(["user", "add", "acme", "agent@acme.test", "--role", "agent"], env, `${PASSWORD}\n`);
    hatch = await startHatch(env);
    // The owner's settings go to Hatch directly: what is under test is the visitors' and agents' way through the proxy.
    owner = await signIn(hatch.url, "acme", "owner@acme.test", { password: PASSWORD, origin: publicUrl });
    await editPolicy(owner, (doc) => {
      (doc.files as { maxBytes: number }).maxBytes = MAX_UPLOAD_BYTES_LIMIT;
    });
    front = await start(dir, ports);
    site = await startHostSite(() => snippetPage(publicUrl, "acme"));
    [overIpv4, overIpv6] = await Promise.all([launchResolving("127.0.0.1"), launchResolving("[::1]")]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([overIpv4?.close(), overIpv6?.close()]);
    await site?.close();
    await front?.stop();
    await hatch?.stop();
  });

  /** A fresh visitor on the host site, once the loader's verdict has settled. */
  async function visit(browser: Browser): Promise<{ page: Page; shown: boolean | undefined }> {
    const page = await newTab(browser, { viewport: { width: 400, height: 700 } });
    const settled = verdictSettled(page);
    await page.goto(`${site.origin}/shop`);
    const { request, failed } = await settled;
    const verdict = failed ? null : ((await (await request.response())!.json()) as { show: boolean });
    return { page, shown: verdict?.show };
  }

  async function say(page: Page, text: string) {
    await page.getByRole("textbox", { name: "Message", exact: true }).fill(text);
    await page.getByRole("button", { name: "Send" }).click();
    await expect.poll(logHas(page, text)).toBe(true);
  }

  /** The visitor's chat as Hatch keeps it, read by the owner from Hatch directly. */
  async function chatAsStored(): Promise<{ messages: { text: string; file: { size: number } | null }[] }> {
    return (await owner.fetch(`/api/v1/console/conversations/${conversationId}`)).json();
  }

  it("sends plain HTTP to HTTPS", async () => {
    const answer = await ask(ports.http, "/healthz?from=http", "http");
    expect([301, 308]).toContain(answer.status);
    const to = new URL(answer.location ?? "");
    expect([to.protocol, to.hostname, to.pathname, to.search]).toEqual([
      "https:",
      SERVER_NAME,
      "/healthz",
      "?from=http",
    ]);
  });

  it("hides the chat from a blocked forwarded address and shows it to another", { timeout: 30_000 }, async () => {
    const added = await owner.fetch("/api/v1/console/rules", {
      method: "POST",
      json: { text: "127.0.0.1", comment: `the ${proxy} test's IPv4 visitor` },
    });
    expect(added.status).toBe(201);

    const blocked = await visit(overIpv4);
    expect(blocked.shown).toBe(false);
    await loaderSettled(blocked.page);
    expect(await blocked.page.locator("hatch-chat").count()).toBe(0);
    await blocked.page.context().close();

    const other = await visit(overIpv6);
    expect(other.shown).toBe(true);
    await other.page.getByRole("button", { name: "Open chat" }).waitFor();
    visitor = other.page;
  });

  it("carries a chat both ways, the agent's answer arriving over the event stream", { timeout: 40_000 }, async () => {
    await visitor.getByRole("button", { name: "Open chat" }).click();
    const started = visitor.waitForResponse((r) => r.url().endsWith("/conversations") && r.status() === 201);
    // The stream the widget opens for its new chat: the answer below must travel on it, not be read at its start.
    const streaming = visitor.waitForResponse((r) => new URL(r.url()).pathname.endsWith("/events") && r.ok());
    await say(visitor, `Hello through ${proxy}`);
    conversationId = ((await (await started).json()) as { conversation: { id: string } }).conversation.id;
    await streaming;

    // The agent's console through the proxy too: its own event stream brings the request.
    const agent = await (await overIpv6.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await agent.goto(`${publicUrl}/console/`);
    await agent.getByLabel("Account").fill("acme");
    await agent.getByLabel("Email").fill("agent@acme.test");
    await agent.getByLabel("Password").fill(PASSWORD);
    await agent.getByRole("button", { name: "Sign in" }).click();
    const requests = agent.getByRole("region", { name: /^Requests/ });
    // The address Hatch recorded is the one the proxy forwarded, not the proxy's own.
    await requests.getByText("::1", { exact: true }).waitFor();
    await requests.getByRole("button", { name: "Accept" }).first().click();
    const chat = agent.getByRole("region", { name: "Chat" });
    await chat.getByText(`Hello through ${proxy}`).waitFor();

    const answer = `An answer through ${proxy}`;
    await chat.getByLabel("Your answer").fill(answer);
    const sentAt = Date.now();
    await chat.getByRole("button", { name: "Send" }).click();
    // Within a second: a buffering proxy holds the event until its buffer fills, far longer than that.
    await expect.poll(logHas(visitor, answer), { timeout: 1_000 }).toBe(true);
    console.log(`${proxy}: the agent's answer reached the visitor in ${Date.now() - sentAt} ms`);
    await agent.context().close();
  });

  it("takes a file of the largest size a policy may allow", { timeout: 60_000 }, async () => {
    const uploaded = visitor.waitForResponse((r) => r.url().endsWith("/files") && r.request().method() === "POST", {
      timeout: 50_000,
    });
    await visitor.getByLabel("Attach a file").setInputFiles(largest);
    expect((await uploaded).status()).toBe(201);
    // Stored whole: the chat, as Hatch keeps it, holds a file of every byte sent.
    expect((await chatAsStored()).messages.map((m) => m.file?.size)).toContain(MAX_UPLOAD_BYTES_LIMIT);
  });

  it("keeps the widget going when Hatch is stopped with SIGTERM and started again", { timeout: 60_000 }, async () => {
    expect(await hatch.stop()).toBe(0);
    hatch = await startHatch(env);

    await say(visitor, "After the restart");
    await expect.poll(async () => (await chatAsStored()).messages.map((m) => m.text)).toContain("After the restart");
    const sent = await owner.fetch(`/api/v1/console/conversations/${conversationId}/messages`, {
      method: "POST",
      json: { text: "Still here" },
    });
    expect(sent.status).toBe(201);
    // An agent's message reaches the widget only over its event stream: it arrives once the stream,
    // ended by the shutdown, has been asked for again (after 1 s, 2 s, 4 s…) and answered.
    await expect.poll(logHas(visitor, "Still here"), { timeout: 20_000 }).toBe(true);
  });
});
