// The console in a real browser against a real server: an owner's rules, countries and file policy,
// an agent's chat with a visitor in another browser context, the scheme, two-factor sign-in and the
// keyboard. Every page at every width and scheme: console-looks.test.ts.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { Secret, TOTP } from "otpauth";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { Page, Request } from "playwright-core";
import { PASSWORD, visitorSession } from "../server/harness";
import { readFixture } from "../fixtures/read";
import { unzip } from "../server/unzip";
import { expectFitsAndAccessible, keepScreenshot, readmeScreenshot } from "./browser";
import { PHONE, WIDE, openConsolePage, useConsoleSession } from "./console-session";

const VISITOR_IP = "192.0.2.77";
const png = Buffer.from(readFixture("fixture.png"));

const s = useConsoleSession();
/** The owner's console, kept open across the owner's scenarios as an owner would. */
let owner: Page;

/** The IP rules as the API has them. */
async function storedRules(): Promise<
  { network: string; comment: string; createdBy: { kind: string; email: string } }[]
> {
  return (await (await s.api.owner.fetch("/api/v1/console/ip-rules")).json()).rules;
}

beforeAll(async () => {
  owner = await s.signIn("owner@acme.test");
});

describe("an owner", () => {
  it("sees a bad pasted line marked with its reason, nothing saved, and the stored network once fixed", async () => {
    await openConsolePage(owner, "Block Visitors");
    const paste = owner.getByLabel("Addresses, networks or AS numbers, one a line");
    const error = owner.locator("#rule-text-error");
    // An empty box is not a mistake yet.
    expect(await error.count()).toBe(0);
    expect(await paste.getAttribute("aria-invalid")).toBeNull();
    await paste.fill("203.0.113.7/24\n01.2.3.4\n198.51.100.0/24");
    await owner.getByLabel("Comment").fill("pasted from the abuse report");
    await expect.poll(() => error.innerText()).toMatch(/^Line 2 \(01\.2\.3\.4\): .*leading zero/i);
    expect(await paste.getAttribute("aria-invalid")).toBe("true");
    expect(await owner.getByRole("button", { name: "Add rules" }).isDisabled()).toBe(true);
    // Enter in the comment submits the form: still nothing may be sent.
    await owner.getByLabel("Comment").press("Enter");
    await keepScreenshot(owner, "console-ip-rules-bad-line");
    expect(await storedRules()).toEqual([]);

    await paste.fill("203.0.113.7/24\n1.2.3.4\n198.51.100.0/24");
    await expect.poll(() => error.count()).toBe(0);
    await owner.getByRole("button", { name: "Add rules" }).click();
    const added = owner.getByRole("status", { name: "Added rules" });
    await expect.poll(() => added.innerText()).toContain("stored as 203.0.113.0/24");
    await owner.getByRole("cell", { name: "203.0.113.0/24", exact: true }).waitFor();
    expect(await paste.inputValue()).toBe("");
    expect(await error.count()).toBe(0);
    expect((await storedRules()).map((r) => r.network).sort()).toEqual([
      "1.2.3.4",
      "198.51.100.0/24",
      "203.0.113.0/24",
    ]);
    await keepScreenshot(owner, "console-ip-rules-added");
  });

  it("blocks a country and sees Test a visitor turn from shown to hidden, with the country's reason", async () => {
    await openConsolePage(owner, "Block Visitors");
    await owner.getByLabel("IP address").fill("192.0.2.50");
    await owner.getByLabel("Country", { exact: true }).selectOption("RU");
    await owner.getByLabel("Page URL").fill(`${s.site.origin}/shop`);
    const test = owner.getByRole("button", { name: "Test", exact: true });
    const verdict = owner.locator(".visitor-test [role=status]");
    // The first test of a visitor loads the ASN data (to name the visitor's network): seconds on a busy
    // machine, longer than a locator's wait. The answer is awaited, then read.
    const answered = owner.waitForResponse((r) => r.url().endsWith("/api/v1/console/preview"), { timeout: 15_000 });
    await test.click();
    await answered;
    await expect.poll(() => verdict.innerText()).toContain("Shown");

    await owner.getByLabel("Block these countries").check();
    await owner.getByLabel("Search countries").fill("Russia");
    await owner.getByRole("checkbox", { name: /^Russia\b/ }).check();
    await owner.getByRole("button", { name: "Save", exact: true }).click();
    await owner.getByText("Saved.").waitFor();
    await test.click();
    await expect.poll(() => verdict.innerText()).toContain("Hidden");
    expect(await verdict.innerText()).toMatch(/Hides \(countries\): Russia \(RU\) is on the blocked list/);
    await keepScreenshot(owner, "console-country-blocked");
    const policy = await (await s.api.owner.fetch("/api/v1/console/policy")).json();
    expect(policy.countries).toMatchObject({ mode: "block", list: ["RU"] });
  });

  it("sets images only on the Live Chat Window page", async () => {
    await openConsolePage(owner, "Live Chat Window");
    // The save on Block Visitors is not reported here as if this page had been saved.
    expect(await owner.getByText("Saved.").count()).toBe(0);
    await owner.getByLabel("Images only").check();
    await owner.getByRole("button", { name: "Save", exact: true }).click();
    await owner.getByText("Saved.").waitFor();
    await keepScreenshot(owner, "console-images-only");
    const policy = await (await s.api.owner.fetch("/api/v1/console/policy")).json();
    expect(policy.files.categories).toEqual(["image"]);
  });

  it("reaches a section from the page's index, and takes a removed rule back with Undo", async () => {
    await openConsolePage(owner, "Block Visitors");
    await owner.getByRole("navigation", { name: "On this page" }).getByRole("link", { name: "Websites" }).click();
    const websites = owner.locator("#websites");
    await expect.poll(() => websites.evaluate((section) => section === document.activeElement)).toBe(true);
    expect(await owner.evaluate(() => location.hash)).toBe("#/block/websites");
    expect((await websites.boundingBox())!.y).toBeLessThan(WIDE.height / 2);

    // Addresses no other test blocks: the rules of the first owner test stay for the agent's tests.
    await owner.getByLabel("Addresses, networks or AS numbers, one a line").fill("100.64.0.1\n100.64.0.2");
    await owner.getByLabel("Comment").fill("from the Undo walk");
    await owner.getByRole("button", { name: "Add rules" }).click();
    const row = (address: string) =>
      owner.getByRole("row").filter({ has: owner.getByRole("cell", { name: address, exact: true }) });
    await row("100.64.0.2").waitFor();
    await row("100.64.0.1").getByRole("button", { name: "Remove 100.64.0.1" }).click();
    const undo = owner.getByRole("button", { name: "Undo removing 100.64.0.1" });
    // The focused Remove left with its row: the focus is on what takes it back.
    await expect.poll(() => undo.evaluate((button) => button === document.activeElement)).toBe(true);
    expect(await row("100.64.0.1").count()).toBe(0);
    await keepScreenshot(owner, "console-rule-removed-undo");
    await undo.click();
    await row("100.64.0.1").waitFor();

    // The other removal runs its course: the server removes it once its few seconds have passed.
    const removed = owner.waitForResponse((r) => r.request().method() === "DELETE" && r.url().includes("/rules/"), {
      timeout: 15_000,
    });
    await row("100.64.0.2").getByRole("button", { name: "Remove 100.64.0.2" }).click();
    expect((await removed).status()).toBe(204);
    const networks = (await storedRules()).map((r) => r.network);
    expect(networks).toContain("100.64.0.1");
    expect(networks).not.toContain("100.64.0.2");
  });

  it("exports a visitor's data as a ZIP from their chat, then erases it, and the chat leaves the lists", async () => {
    // An address of its own, outside the networks the other tests block.
    const visitor = await visitorSession(s.h, { forwardedFor: "2001:db8::ea" });
    const words = "Please send me everything you keep about me, order A-3003";
    await visitor.fetch(`/conversations/${visitor.conversationId}/messages`, { method: "POST", json: { text: words } });
    const sent = await visitor.fetch(`/conversations/${visitor.conversationId}/files`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream", "x-file-name": "receipt.png" },
      body: png,
    });
    expect(sent.status).toBe(201);
    await openConsolePage(owner, "Chats");
    await owner
      .getByRole("navigation", { name: "Chats" })
      .getByRole("link", { name: /2001:db8::ea\b/ })
      .click();
    const chat = owner.getByRole("region", { name: "Chat" });
    await chat.getByText(words).waitFor();

    const download = owner.waitForEvent("download");
    await chat.getByRole("link", { name: "Export this visitor's data" }).click();
    const zip = await readFile((await (await download).path())!);
    const names = [...(await unzip(zip)).keys()];
    expect(names[0]).toBe("visitor.json");
    expect(names[1]).toMatch(/^files\/file_\S+-receipt\.png$/);

    await chat.getByRole("button", { name: "Erase this visitor's data…" }).click();
    await keepScreenshot(owner, "console-erase-visitor-confirm");
    await chat.getByRole("button", { name: "Erase for good" }).click();
    await owner.getByText("Pick a chat from the list, or accept a request.").waitFor();
    // The lists learn it from the feed, as every other console does.
    const listed = owner.getByRole("navigation", { name: "Chats" }).getByRole("link", { name: /2001:db8::ea\b/ });
    await expect.poll(() => listed.count()).toBe(0);
    expect((await s.api.owner.fetch(`/api/v1/console/conversations/${visitor.conversationId}`)).status).toBe(404);
  });
});

describe("an agent", () => {
  it("accepts a chat, sees no image fetched while previews are hidden, blocks the visitor, and the widget goes away", async () => {
    const agent = await s.signIn("agent@acme.test");
    const visitor = await s.newPage({ width: 400, height: 700 });
    await visitor.route(`${s.h.url}/**`, (route) =>
      route.continue({ headers: { ...route.request().headers(), "x-forwarded-for": VISITOR_IP } }),
    );
    await visitor.goto(`${s.site.origin}/shop`);
    await visitor.getByRole("button", { name: "Open chat" }).click();
    await visitor.getByRole("dialog", { name: "Chat with us" }).waitFor();
    await visitor.getByRole("textbox", { name: "Message", exact: true }).fill("Hello, I have a question");
    await visitor.getByRole("button", { name: "Send" }).click();

    // The request arrives live in the agent's queue; accept it there and open it.
    const requests = agent.getByRole("region", { name: /^Requests/ });
    await requests.getByText(VISITOR_IP).waitFor();
    expect(await agent.title()).toBe("(1) Hatch console");
    await requests.getByRole("button", { name: "Accept" }).click();
    // Accepting opens the chat.
    const chat = agent.getByRole("region", { name: "Chat" });
    await chat.getByText("Hello, I have a question").waitFor();
    expect(await agent.title()).toBe("Hatch console");

    const fileRequests: Request[] = [];
    agent.on("request", (request) => {
      if (request.url().includes("/api/v1/console/files/")) fileRequests.push(request);
    });
    await chat.getByRole("button", { name: "Hide image previews" }).click();
    await chat.getByRole("button", { name: "Show image previews" }).waitFor();

    await visitor
      .getByLabel("Attach a file")
      .setInputFiles({ name: "fixture.png", mimeType: "image/png", buffer: png });
    await chat.getByText(/fixture\.png.*preview hidden/).waitFor();
    // An <img> would have asked for the bytes as soon as it was drawn; give it that moment.
    await agent.waitForTimeout(300);
    expect(await chat.locator("img").count()).toBe(0);
    expect(fileRequests).toEqual([]);
    await keepScreenshot(agent, "console-chat-previews-hidden");

    await chat.getByRole("button", { name: "Show image previews" }).click();
    await chat.getByRole("img", { name: "fixture.png" }).waitFor();
    await expect.poll(() => fileRequests.length).toBeGreaterThan(0);
    await expect
      .poll(() => chat.getByRole("img", { name: "fixture.png" }).evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    await keepScreenshot(agent, "console-chat-previews-shown");
    await readmeScreenshot(agent, "console-chat-previews");

    // The agent sends a file back; the visitor downloads exactly its bytes.
    const chooser = agent.waitForEvent("filechooser");
    await chat.getByRole("button", { name: "Attach a file" }).click();
    await (await chooser).setFiles({ name: "answer.png", mimeType: "image/png", buffer: png });
    const widget = visitor.getByRole("dialog", { name: "Chat with us" });
    const download = visitor.waitForEvent("download");
    await widget.getByRole("button", { name: /Download/ }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe("answer.png");
    expect(Buffer.compare(readFileSync((await saved.path())!), png)).toBe(0);

    // The owner watches the IP rules while the agent blocks: the new rule appears without a reload.
    await openConsolePage(owner, "Block Visitors");
    await chat.getByRole("button", { name: "Block visitor…" }).click();
    await chat.getByLabel("Comment").fill("sent spam links");
    await readmeScreenshot(agent, "console-block-from-chat");
    await chat.getByRole("button", { name: "Block and close chat" }).click();
    await chat.getByText(`Blocked ${VISITOR_IP}`).waitFor();
    await keepScreenshot(agent, "console-chat-blocked");
    // The toolbar stays a toolbar: its one button left is a button's height, not a box as tall as the header.
    const previewsButton = await chat.getByRole("button", { name: /image previews/ }).boundingBox();
    expect(previewsButton!.height).toBeLessThan(60);
    await expect.poll(() => visitor.locator("hatch-chat").count(), { timeout: 10_000 }).toBe(0);

    const row = owner.getByRole("row", { name: new RegExp(`^address ${VISITOR_IP.replaceAll(".", "\\.")}`) });
    await row.waitFor();
    expect(await row.innerText()).toMatch(
      new RegExp(`sent spam links[\\s\\S]*agent agent@acme\\.test from chat with ${VISITOR_IP.replaceAll(".", "\\.")}`),
    );
    await keepScreenshot(owner, "console-rule-from-chat");
    await row.scrollIntoViewIfNeeded();
    await readmeScreenshot(owner, "console-block-visitors");
    await visitor.context().close();
    await agent.context().close();
  });
});

it("turns dark from Options on a device that prefers light, and stays dark on the next sign-in", async () => {
  const page = await s.signIn("agent@acme.test");
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const light = await background();
  await openConsolePage(page, "Options");
  // The console turns dark before the server has the choice: closing the page must wait for the save.
  const saved = page.waitForResponse((r) => r.url().endsWith("/api/v1/console/me/options") && r.ok());
  await page.getByRole("radio", { name: "Dark" }).check();
  await saved;
  await expect.poll(background).not.toBe(light);
  expect(await page.evaluate(() => document.documentElement.dataset.scheme)).toBe("dark");
  await page.context().close();
  const again = await s.signIn("agent@acme.test");
  await expect.poll(() => again.evaluate(() => document.documentElement.dataset.scheme)).toBe("dark");
  await openConsolePage(again, "Options");
  const reset = again.waitForResponse((r) => r.url().endsWith("/api/v1/console/me/options") && r.ok());
  await again.getByRole("radio", { name: "Match this device" }).check();
  await reset;
  await expect.poll(() => again.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe(light);
  await again.context().close();
});

it("turns on two-factor sign-in with the code an app computes from the key shown, asks for the next code at sign-in, and once required leads a member without it to enrol first", async () => {
  // The rival account's owner: the other tests sign acme's users in with a password alone.
  const page = await s.newPage(WIDE);
  const signInAsRival = async () => {
    await page.goto(`${s.h.url}/console/`);
    await page.getByLabel("Account").fill("rival");
    await page.getByLabel("Email").fill("owner@rival.test");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
  };
  await signInAsRival();
  await openConsolePage(page, "Options");
  await page.getByLabel("Password, to confirm it is you").fill(PASSWORD);
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  const qr = page.getByAltText("QR code to scan with your authenticator app");
  await qr.waitFor();
  // The QR code loaded from the console's origin, under its CSP: an image with a width.
  await expect.poll(() => qr.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
  const key = (await page.locator(".two-factor-key").innerText()).replace(/\s/g, "");
  await expectFitsAndAccessible(page, "console-two-factor-enrolling");
  const section = page.getByRole("region", { name: "Two-factor sign-in", exact: true });
  await keepScreenshot(section, "console-two-factor-section");
  const app = new TOTP({ secret: Secret.fromBase32(key), period: 30 });
  await page.getByLabel("Code your app shows").fill(app.generate({ timestamp: s.h.clock.now() }));
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  const backupCodes = page.getByRole("list", { name: "Backup codes" }).getByRole("listitem");
  await expect.poll(() => backupCodes.count()).toBe(10);
  await expectFitsAndAccessible(page, "console-two-factor-backup-codes");

  await page.getByRole("button", { name: "Sign out" }).click();
  await signInAsRival();
  const code = page.getByLabel("Code from your authenticator app");
  await code.waitFor();
  expect(await code.evaluate((field) => field === document.activeElement)).toBe(true);
  // The enrolment used this step's code: the app's next one signs in.
  s.h.clock.skip(30_000);
  await code.fill(app.generate({ timestamp: s.h.clock.now() }));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  await keepScreenshot(page, "console-two-factor-signed-in");

  // Now required of the team: a member without it, on a phone in the dark, can only enrol, and then works.
  await openConsolePage(page, "Options");
  const required = page.waitForResponse((r) => r.url().endsWith("/api/v1/console/account") && r.ok());
  await page.getByLabel("Require two-factor sign-in of everyone on the team").check();
  await required;
  await s.h.server.deps.accounts.addUser("rival", "agent@rival.test", inject("passwordHash"), "agent", s.h.clock.now());
  const member = await s.newPage(PHONE, "dark");
  await member.goto(`${s.h.url}/console/`);
  await member.getByLabel("Account").fill("rival");
  await member.getByLabel("Email").fill("agent@rival.test");
  await member.getByLabel("Password").fill(PASSWORD);
  await member.getByRole("button", { name: "Sign in" }).click();
  await member.getByRole("heading", { name: "Set up two-factor sign-in", level: 1 }).waitFor();
  expect(await member.getByRole("navigation", { name: "Console" }).count()).toBe(0);
  await member.getByLabel("Password, to confirm it is you").fill(PASSWORD);
  await member.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  const memberKey = member.locator(".two-factor-key");
  await memberKey.waitFor();
  await expectFitsAndAccessible(member, "console-two-factor-required-390-dark");
  const memberApp = new TOTP({
    secret: Secret.fromBase32((await memberKey.innerText()).replace(/\s/g, "")),
    period: 30,
  });
  await member.getByLabel("Code your app shows").fill(memberApp.generate({ timestamp: s.h.clock.now() }));
  await member.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await member.getByRole("button", { name: "I have kept them" }).click();
  await member.getByRole("button", { name: "Sign out" }).waitFor();
  await member.getByRole("heading", { name: /^Requests/ }).waitFor();
  s.h.clock.reset();
  await page.context().close();
  await member.context().close();
});

it("can be signed in to with the keyboard only", async () => {
  const page = await s.newPage(WIDE);
  await page.goto(`${s.h.url}/console/`);
  await page.getByRole("heading", { name: "Sign in to Hatch" }).waitFor();
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("account");
  await page.keyboard.type("acme");
  await page.keyboard.press("Tab");
  await page.keyboard.type("owner@acme.test");
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  await keepScreenshot(page, "console-keyboard-signed-in");
  await page.context().close();
});
