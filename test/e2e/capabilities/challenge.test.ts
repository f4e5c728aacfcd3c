// The proof-of-work gate, walked with the demo's "A challenged visitor" preset: the owner sets the Tor
// switch to "challenge" (and a low difficulty, for speed) in Block Visitors; the visitor from the demo's
// second Tor exit sees the chat, and on their first message the widget says "Checking that you are not
// a robot…", solves the ticket route's challenge, asks again with `&solution=`, and the message reaches
// the agent's console. Nothing of it goes anywhere but the host site and Hatch.
import { expect, it } from "vitest";
import type { Request, Route } from "playwright-core";
import { CHALLENGED_TOR_EXIT, presetById } from "../../../demo/presets";
import {
  acceptChat,
  expectChatShown,
  openConsolePage,
  useDemo,
  pickPreset,
  savePolicy,
  shot,
  signIn,
  testVisitor,
  visitHost,
} from "./demo-session";

const CHALLENGED = presetById("challenged");
const WORDS = "Hello, I am a person behind Tor";
/** The least the policy takes: a few hundred hashes on average, so the solving itself is quick. */
const DIFFICULTY = "1000";
const s = useDemo();

it(
  "makes a challenged visitor's browser solve a proof of work before their first message reaches the agent",
  { timeout: 50_000 },
  async () => {
    // The preset's first step, as the owner does it.
    const owner = await signIn(s, "owner");
    await openConsolePage(owner, "Block Visitors");
    await owner.getByLabel("Tor exits").selectOption({ label: "Challenge (proof of work)" });
    await owner.getByLabel("Challenge difficulty").fill(DIFFICULTY);
    await savePolicy(owner);
    const verdict = await testVisitor(s, owner, CHALLENGED);
    expect(verdict).toContain("Shown, behind a proof of work");
    expect(verdict).toContain(`${CHALLENGED_TOR_EXIT} is a Tor exit, and those are challenged`);
    await shot(owner, "challenge", "console-tor-challenged");
    await owner.context().close();

    const agent = await signIn(s, "agent");
    const { page } = await visitHost(s);
    // Every request of the challenged visitor's page, from its load on.
    const seen: Request[] = [];
    page.on("request", (request) => seen.push(request));
    const solver = /\/solve-in-background-[\w-]+\.js$/;
    // The solver is fetched only once a challenge comes; holding it keeps the check on screen until
    // the test has seen it, however fast this machine hashes.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(solver, async (route: Route) => {
      await held;
      await route.continue();
    });

    const challenged = await pickPreset(page, CHALLENGED.label);
    expect(await page.locator("#current-visitor").textContent()).toContain(`IP ${CHALLENGED_TOR_EXIT}`);
    // The verdict shows the chat: the gate is at the ticket, when the visitor first writes.
    await expectChatShown(challenged);
    // The widget's first bundle leaves the solver out: nothing of it is fetched before a challenge.
    expect(seen.filter((r) => solver.test(r.url()))).toEqual([]);

    await page.getByRole("button", { name: "Open chat" }).click();
    const dialog = page.getByRole("dialog", { name: "Chat with us" });
    await dialog.getByRole("textbox", { name: "Message", exact: true }).fill(WORDS);
    const solverFetched = page.waitForRequest(solver);
    await dialog.getByRole("button", { name: "Send" }).click();
    const checking = dialog.getByRole("status").filter({ hasText: "Checking that you are not a robot…" });
    await checking.waitFor();
    // Held, so the check stays on screen for as long as the test looks at it.
    await solverFetched;
    await dialog.getByRole("progressbar", { name: "Check progress" }).waitFor();
    await shot(page, "challenge", "visitor-checking");
    // No chat can start before the ticket, and the ticket waits for the solution.
    const conversations = () => seen.filter((r) => r.method() === "POST" && r.url().endsWith("/conversations"));
    expect(conversations()).toEqual([]);

    release();
    await checking.waitFor({ state: "hidden" });
    await acceptChat(agent, CHALLENGED_TOR_EXIT, WORDS);
    await shot(agent, "challenge", "agent-got-message");
    await shot(page, "challenge", "visitor-message-sent");

    // The ticket route refused without a solution (handing out the challenge), then took one.
    const tickets = seen.filter((r) => r.url().includes("/ticket?"));
    const solved = tickets.filter((r) => new URL(r.url()).searchParams.has("solution"));
    expect(tickets.length).toBeGreaterThanOrEqual(2);
    expect(solved).toHaveLength(1);
    const first = await tickets[0]!.response();
    expect(first?.status()).toBe(403);
    expect(((await first!.json()) as { error: { code: string } }).error.code).toBe("challenge_required");
    const answered = await solved[0]!.response();
    expect(answered?.status()).toBe(200);
    expect(await answered!.json()).toMatchObject({ show: true, ticket: expect.any(String) });
    // ALTCHA's payload: base64 of the JSON of algorithm, challenge, number, salt and signature.
    const solution = new URL(solved[0]!.url()).searchParams.get("solution")!;
    const payload = JSON.parse(Buffer.from(solution, "base64").toString("utf8")) as Record<string, unknown>;
    expect(Object.keys(payload).sort()).toEqual(["algorithm", "challenge", "number", "salt", "signature"]);
    expect(payload.algorithm).toBe("SHA-256");
    expect(payload.number).toBeLessThanOrEqual(Number(DIFFICULTY));
    expect(conversations()).toHaveLength(1);

    // Self-hosted: the page asked nothing of anyone but the host site and Hatch (through the proxy).
    // (A blob: URL, such as the solver's inline worker's, has the origin of the page that made it.)
    const origins = new Set(seen.map((r) => new URL(r.url()).origin));
    expect([...origins].sort()).toEqual([s.hostOrigin, new URL(s.demo.urls.proxy).origin].sort());
    for (const tab of [page, agent]) await tab.context().close();
  },
);
