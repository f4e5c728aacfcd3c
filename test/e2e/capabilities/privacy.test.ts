// Privacy in Chromium: an owner exports a visitor's data from their chat as a ZIP and erases it; turns
// on two-factor sign-in with codes the test computes as an app would, and signs in with one and with a
// backup code; then requires it of the team, and the agent can do nothing but enrol until they have.
import { readFile } from "node:fs/promises";
import { Secret, TOTP } from "otpauth";
import { beforeAll, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { DEMO_ACCOUNT, DEMO_USERS } from "../../../demo/presets";
import { unzip } from "../../server/unzip";
import { acceptChat, consoleApi, openConsolePage, shot, signIn, useDemo, visitorWrites } from "./demo-session";

const s = useDemo();
const VISITOR_IP = "192.0.2.61";
const WORDS = "Please send me everything you keep about me";
const REQUIRE = "Require two-factor sign-in of everyone on the team";
let owner: Page;

beforeAll(async () => {
  owner = await signIn(s, "owner");
}, 30_000);

const passwordOf = (role: "owner" | "agent") => DEMO_USERS.find((u) => u.role === role)!.password;

/** What the console's API answers `page`'s own session for GET `path`: the status, and the error's code. */
function answerTo(page: Page, path: string): Promise<{ status: number; code: string | null }> {
  return page.evaluate(async (url) => {
    const answer = await fetch(url);
    const body = (await answer.json()) as { error?: { code: string } };
    return { status: answer.status, code: body.error?.code ?? null };
  }, path);
}

/**
 * Sets up two-factor sign-in in the section on `page` (Options, or the enrolment page) from the key it
 * shows, as an authenticator app would; answers the app, the code that confirmed it, and the backup codes.
 */
async function enrol(page: Page, password: string): Promise<{ app: TOTP; used: string; backupCodes: string[] }> {
  const section = page.getByRole("region", { name: "Two-factor sign-in", exact: true });
  await section.getByLabel("Password, to confirm it is you").fill(password);
  await section.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  const key = await section.getByText(/^Key: /).innerText();
  // otpauth's defaults are the server's (server/auth/two-factor.ts): SHA-1, six digits, 30-second steps.
  const app = new TOTP({ secret: Secret.fromBase32(key.replace(/^Key:|\s/g, "")) });
  const used = app.generate();
  await section.getByLabel("Code your app shows").fill(used);
  await section.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  const list = section.getByRole("list", { name: "Backup codes" });
  await list.waitFor();
  return { app, used, backupCodes: await list.getByRole("listitem").allInnerTexts() };
}

/** Signs the owner out and in again with their password; answers the code field the form then asks for. */
async function signInAgainUpToCode(): Promise<Locator> {
  await owner.getByRole("button", { name: "Sign out" }).click();
  await owner.getByLabel("Account").fill(DEMO_ACCOUNT.id);
  await owner.getByLabel("Email").fill(DEMO_USERS.find((u) => u.role === "owner")!.email);
  await owner.getByLabel("Password").fill(passwordOf("owner"));
  await owner.getByRole("button", { name: "Sign in", exact: true }).click();
  const code = owner.getByLabel("Code from your authenticator app");
  await code.waitFor();
  return code;
}

/** Sends the sign-in form with `code` in its code field. */
async function submitCode(code: Locator, typed: string): Promise<void> {
  await code.fill(typed);
  await owner.getByRole("button", { name: "Sign in", exact: true }).click();
}

// First, while the owner signs in with a password alone: consoleApi signs in that way.
it(
  "exports a visitor's data as a ZIP from their chat, then erases it: the chat leaves the lists and the API",
  { timeout: 30_000 },
  async () => {
    const visitor = await visitorWrites(s, VISITOR_IP, WORDS);
    const chat = await acceptChat(owner, VISITOR_IP, WORDS);
    const conversationId = /^#\/chats\/(.+)$/.exec(new URL(owner.url()).hash)![1]!;
    const visitorId = (await chat.getByText(/^Visitor id v_/).innerText()).replace("Visitor id ", "");

    const download = owner.waitForEvent("download");
    await chat.getByRole("link", { name: "Export this visitor's data" }).click();
    const zip = await download;
    expect(zip.suggestedFilename()).toBe(`hatch-${visitorId}.zip`);
    const entries = await unzip(await readFile(await zip.path()));
    expect([...entries.keys()]).toEqual(["visitor.json"]);
    const exported = JSON.parse(entries.get("visitor.json")!.toString("utf8")) as {
      visitorId: string;
      chats: { id: string; messages: { from: string; text: string }[] }[];
    };
    expect(exported.visitorId).toBe(visitorId);
    expect(exported.chats.map((c) => c.id)).toEqual([conversationId]);
    expect(exported.chats[0]!.messages).toContainEqual(expect.objectContaining({ from: "visitor", text: WORDS }));

    const listed = owner.getByRole("navigation", { name: "Chats" }).getByRole("link", { name: VISITOR_IP });
    expect(await listed.count()).toBe(1);
    await chat.getByRole("button", { name: "Erase this visitor's data…" }).click();
    const confirm = chat.getByRole("group", { name: `Erase every chat, message and file of visitor ${visitorId}?` });
    await confirm.waitFor();
    await shot(owner, "privacy", "erase-confirm");
    await confirm.getByRole("button", { name: "Erase for good" }).click();
    await owner.getByText("Pick a chat from the list, or accept a request.").waitFor();
    await expect.poll(() => listed.count()).toBe(0);
    const api = await consoleApi(s, "owner");
    expect((await api(`/api/v1/console/conversations/${conversationId}`)).status).toBe(404);
    expect((await api(`/api/v1/console/visitors/${visitorId}/export`)).status).toBe(404);
    await visitor.context().close();
  },
);

it(
  "turns on two-factor sign-in with a code computed from the key shown, then signs in with the next code or a backup code, never with a used one",
  { timeout: 30_000 },
  async () => {
    await openConsolePage(owner, "Options");
    // Requiring it of the team waits for the owner's own.
    expect(await owner.getByLabel(REQUIRE).isDisabled()).toBe(true);
    const elsewhere = await consoleApi(s, "owner");
    const { app, used, backupCodes } = await enrol(owner, passwordOf("owner"));
    expect(backupCodes).toEqual(Array.from({ length: 10 }, () => expect.stringMatching(/^[a-z2-9]{4}-[a-z2-9]{4}$/)));
    await shot(owner, "privacy", "backup-codes");
    // Turning it on ended the owner's other sessions, and kept this one.
    expect((await elsewhere("/api/v1/console/me")).status).toBe(401);
    await owner.getByRole("button", { name: "I have kept them" }).click();
    await owner.getByText("10 backup codes left").waitFor();

    // The enrolment's code again, in its own step or the next: a code signs in once.
    const code = await signInAgainUpToCode();
    await submitCode(code, used);
    await owner.getByRole("alert").filter({ hasText: "That code is wrong or was used already" }).waitFor();
    await shot(owner, "privacy", "sign-in-code-refused");
    // The app's next code: the server takes one step either side of its clock, and it comes after the used one.
    await submitCode(code, app.generate({ timestamp: Date.now() + 30_000 }));
    await owner.getByRole("button", { name: "Sign out" }).waitFor();

    await submitCode(await signInAgainUpToCode(), backupCodes[0]!);
    await openConsolePage(owner, "Options");
    await owner.getByText("9 backup codes left").waitFor();
  },
);

// After the owner has enrolled above: only an owner with two-factor sign-in may require it.
it(
  "leads the agent, once the owner requires two-factor sign-in, to enrol, and refuses them everything else until they have",
  { timeout: 30_000 },
  async () => {
    await openConsolePage(owner, "Options");
    const saved = owner.waitForResponse((r) => r.url().endsWith("/api/v1/console/account"));
    await owner.getByLabel(REQUIRE).check();
    expect((await saved).status()).toBe(200);

    // signIn waits for "Sign out", which the enrolment page offers as well.
    const agent = await signIn(s, "agent");
    const enrolment = agent.getByRole("heading", { name: "Set up two-factor sign-in", level: 1 });
    await enrolment.waitFor();
    await shot(agent, "privacy", "agent-must-enrol");
    await agent.goto(`${s.demo.urls.console}#/chats`);
    await enrolment.waitFor();
    expect(await agent.getByRole("navigation", { name: "Console" }).count()).toBe(0);
    const chats = "/api/v1/console/conversations?status=pending";
    expect(await answerTo(agent, chats)).toEqual({ status: 403, code: "two_factor_enrolment_required" });

    await enrol(agent, passwordOf("agent"));
    await agent.getByRole("button", { name: "I have kept them" }).click();
    await agent.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Chats" }).waitFor();
    expect(await answerTo(agent, chats)).toEqual({ status: 200, code: null });
    await agent.context().close();
  },
);
