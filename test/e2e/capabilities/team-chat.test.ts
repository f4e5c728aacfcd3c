// Working a chat as a team, in Chromium: an agent's note stays with the team, the chat passed to an
// owner who is online tells the visitor the new name, and a console in a background tab chimes (Web
// Audio) for a new request until its user turns the sound off.
import { beforeAll, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { acceptChat, openConsolePage, shot, signIn, useDemo, visitorWrites } from "./demo-session";

const s = useDemo();
let agent: Page;
let owner: Page;

/** Sets the signed-in user's name shown to visitors on Options, as they would. */
async function nameMyself(page: Page, name: string): Promise<void> {
  await openConsolePage(page, "Options");
  await page.getByLabel("Your name shown to visitors").fill(name);
  await page.getByRole("button", { name: "Save name" }).click();
  await page.getByText("Saved.").first().waitFor();
  await openConsolePage(page, "Chats");
}

/**
 * Makes the page believe its tab is in the background, and counts the notes the chime starts: the
 * real AudioContext of Chromium plays them (muted by the test browser), the count says it was asked to.
 */
async function listenForChimes(page: Page): Promise<void> {
  await page.addInitScript(() => {
    Object.defineProperty(document, "visibilityState", { get: () => "hidden" });
    const counts = { notes: 0, lastAt: 0 };
    Object.defineProperty(window, "hatchTestChimes", { value: counts });
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (this: OscillatorNode, when?: number) {
      counts.notes++;
      counts.lastAt = performance.now();
      start.call(this, when);
    };
  });
}

/** The widget's notice of who joined: the name set apart (FSI … PDI), as it is in any language's sentence. */
const joined = (name: string) => `\u2068${name}\u2069 has joined`;

/** The notes chimed so far, and the milliseconds since the last. */
const chimes = (page: Page) =>
  page.evaluate(() => {
    const { notes, lastAt } = (window as unknown as { hatchTestChimes: { notes: number; lastAt: number } })
      .hatchTestChimes;
    return { notes, sinceLast: performance.now() - lastAt };
  });

beforeAll(async () => {
  agent = await signIn(s, "agent");
  owner = await signIn(s, "owner");
  await nameMyself(agent, "Aaron");
  await nameMyself(owner, "Olivia");
}, 30_000);

it(
  "keeps an agent's note from the visitor, and passes the chat to an online owner whose name the visitor then reads",
  { timeout: 40_000 },
  async () => {
    const visitor = await visitorWrites(s, "192.0.2.91", "Where is my parcel?");
    const chat = await acceptChat(agent, "192.0.2.91", "Where is my parcel?");
    const log = visitor.getByRole("log");
    await log.getByText(joined("Aaron")).waitFor();

    const answer = chat.getByLabel("Your answer");
    await answer.fill("Asked twice last week; be patient");
    await chat.getByRole("button", { name: "Add as note" }).click();
    await chat.getByText(/^Note by Aaron.*, not shown to the visitor$/).waitFor();
    await answer.fill("Let me pass you to my colleague.");
    await answer.press("Enter");
    await log.getByText("Let me pass you to my colleague.").waitFor();
    // The note went before the answer: had the visitor's stream carried it, it would be in the log by now.
    expect(await log.textContent()).not.toContain("be patient");
    await shot(agent, "team-chat", "agent-note");

    await chat.getByRole("button", { name: "Pass to…" }).click();
    await chat.getByLabel("Pass this chat to").selectOption({ label: "Olivia" });
    await shot(agent, "team-chat", "agent-pass-form");
    await chat.getByRole("button", { name: "Pass the chat" }).click();
    await log.getByText(joined("Olivia")).waitFor();

    // The owner finds it among their chats, note included, and answers as Olivia.
    await owner
      .getByRole("navigation", { name: "Chats" })
      .getByRole("link", { name: /192\.0\.2\.91/ })
      .click();
    const theirs = owner.getByRole("region", { name: "Chat" });
    await theirs.getByText("Asked twice last week; be patient").waitFor();
    await theirs.getByLabel("Your answer").fill("Olivia here: it left the depot today.");
    await theirs.getByLabel("Your answer").press("Enter");
    await log.getByText("Olivia here: it left the depot today.").waitFor();
    expect(await log.textContent()).not.toContain("be patient");
    await shot(visitor, "team-chat", "visitor-after-handover");
    await shot(owner, "team-chat", "owner-took-chat");
    await visitor.context().close();
  },
);

it(
  "chimes for a new chat request while the console's tab is hidden, and not once the sound is off",
  { timeout: 40_000 },
  async () => {
    const listener = await signIn(s, "agent");
    await listenForChimes(listener);
    await listener.reload();
    await listener.getByRole("button", { name: "Sign out" }).waitFor();
    // Browsers start audio only after a gesture in the page.
    await listener.getByRole("heading", { name: /^Requests/ }).click();
    // A feed that has just opened replays what it missed, and the console keeps quiet for 3 s meanwhile
    // (REPLAY_QUIET_MS): a request within them would rightly not chime. No event marks their end.
    await listener.waitForTimeout(3_100);

    const first = await visitorWrites(s, "192.0.2.92", "Is anyone there?");
    await expect.poll(async () => (await chimes(listener)).notes, { timeout: 10_000 }).toBe(2);

    await openConsolePage(listener, "Options");
    const sound = listener.getByLabel("Play a sound for new chats and messages while this tab is in the background");
    expect(await sound.isChecked()).toBe(true);
    const saved = listener.waitForResponse((r) => r.url().endsWith("/me/options") && r.ok());
    await sound.uncheck();
    await saved;
    // Past the 2 s in which a burst chimes once, so the switch, not the gap, is what keeps it quiet.
    await expect.poll(async () => (await chimes(listener)).sinceLast, { timeout: 5_000 }).toBeGreaterThan(2_000);
    const second = await visitorWrites(s, "192.0.2.93", "Hello again?");
    // The request reached this console, and no note sounded for it.
    await openConsolePage(listener, "Chats");
    await listener
      .getByRole("region", { name: /^Requests/ })
      .getByText("192.0.2.93")
      .waitFor();
    const after = await chimes(listener);
    expect(after.notes).toBe(2);
    // Past the 2 s in which a burst chimes once: the switch, not the gap, kept it quiet.
    expect(after.sinceLast).toBeGreaterThan(2_000);
    for (const page of [first, second, listener]) await page.context().close();
  },
);
