// Every console page at three widths and in both schemes, in a real browser: no sideways scrollbar, no
// accessibility violation, from the sign-in and a reset link's page to a chat's open states.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { PASSWORD, visitorSession } from "../server/harness";
import { expectFitsAndAccessible, readmeScreenshot } from "./browser";
import { NARROW, PHONE, WIDE, openConsolePage, useConsoleSession } from "./console-session";

const s = useConsoleSession();

/** Each walk's visitor comes from an address of its own. */
let walks = 0;

describe.each([
  ["1280", "light", WIDE],
  ["1280", "dark", WIDE],
  ["768", "light", NARROW],
  ["390", "light", PHONE],
  ["390", "dark", PHONE],
] as const)("at %s px, %s", (width, scheme, viewport) => {
  const fitsAndPasses = (page: Page, name: string) =>
    expectFitsAndAccessible(page, `console-${width}-${scheme}-${name}`);

  it(
    "shows every page, a reset link's too, without a sideways scrollbar or an accessibility violation",
    { timeout: 45_000 },
    async () => {
      // A chat of its own to open, whatever the other tests left: from an address outside the networks they block.
      const order = `A-${1040 + ++walks}`;
      const visitor = await visitorSession(s.h, { forwardedFor: `2001:db8::${walks}` });
      await visitor.fetch(`/conversations/${visitor.conversationId}/messages`, {
        method: "POST",
        json: { text: `Hello, is my order ${order} on its way?` },
      });
      // A reset link's page first, then the sign-in by its hash, in one document: the console's routes change
      // the hash, and axe is loaded once a document (a fresh browser for the reset page cost a sixth of the file).
      const page = await s.newPage(viewport, scheme);
      const { link: resetLink } = await (
        await s.api.owner.fetch(`/api/v1/console/users/${s.agentId}/reset`, { method: "POST" })
      ).json();
      await page.goto(resetLink);
      await page.getByLabel("New password").waitFor();
      await fitsAndPasses(page, "reset");
      await page.goto(`${s.h.url}/console/#/`);
      await page.getByRole("heading", { name: "Sign in to Hatch" }).waitFor();
      await fitsAndPasses(page, "signin");
      await page.getByLabel("Account").fill("acme");
      await page.getByLabel("Email").fill("owner@acme.test");
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("button", { name: "Sign out" }).waitFor();
      const pages: [string, string][] = [
        ["Chats", "chats"],
        ["Block Visitors", "block"],
        ["Live Chat Window", "window"],
        ["Audit", "audit"],
        ["Integrations", "integrations"],
        ["Options", "options"],
      ];
      for (const [link, name] of pages) {
        await openConsolePage(page, link);
        await fitsAndPasses(page, name);
      }
      // The walk's own chat.
      await openConsolePage(page, "Chats");
      const chatLists = page.getByRole("navigation", { name: "Chats" });
      await chatLists.getByRole("heading", { name: /^Closed/ }).waitFor();
      await chatLists.getByRole("link", { name: new RegExp(order) }).click();
      const chat = page.getByRole("region", { name: "Chat" });
      await chat.getByRole("listitem").first().waitFor();
      await fitsAndPasses(page, "chat");
      if (width === "390" && scheme === "light") await readmeScreenshot(page, "console-phone-chat");
      if (width === "1280" && scheme === "dark") await readmeScreenshot(page, "console-dark-chat");
      // The chat's open states once accepted: the canned replies offered, a note, the block form, the pass form.
      await chat.getByRole("button", { name: "Accept" }).click();
      const answer = chat.getByLabel("Your answer");
      await answer.fill("/");
      await chat.getByRole("listbox", { name: "Canned replies" }).getByRole("option").first().waitFor();
      await fitsAndPasses(page, "chat-canned");
      await answer.fill("Order checked with the warehouse");
      await chat.getByRole("button", { name: "Add as note" }).click();
      await chat.getByText(/^Note by .*, not shown to the visitor$/).waitFor();
      const block = chat.getByRole("button", { name: "Block visitor…" });
      await block.click();
      await chat.getByLabel("For how long").waitFor();
      await fitsAndPasses(page, "chat-block");
      await block.click();
      await chat.getByRole("button", { name: "Pass to…" }).click();
      await chat.getByText(/^(Pass this chat to|No co-worker is online)/).waitFor();
      await fitsAndPasses(page, "chat-pass");
      // Closed as spam, the chat keeps its toolbar a row of buttons, not a tall empty box.
      await chat.getByRole("button", { name: "Close as spam" }).click();
      await chat.getByText("This chat is closed as spam.").waitFor();
      const previews = chat.getByRole("button", { name: /image previews$/ });
      expect((await previews.boundingBox())!.height).toBeLessThan(60);
      await fitsAndPasses(page, "chat-spam");
      // On a phone the open chat is a view of its own, in sight, with the way back to the lists.
      if (viewport === PHONE) {
        expect(await chatLists.isVisible()).toBe(false);
        expect((await chat.boundingBox())!.y).toBeLessThan(PHONE.height / 2);
        await page.getByRole("link", { name: "All chats" }).click();
        await chatLists.waitFor();
        expect(await chat.count()).toBe(0);
      }
      await page.context().close();
    },
  );
});
