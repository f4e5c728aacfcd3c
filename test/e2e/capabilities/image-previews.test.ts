// Image previews: the agent's default (Options) and the per-chat override (the chat toolbar). A hidden
// preview shows the file's name, size and kind and fetches nothing of the image; a shown one loads it.
import { beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page, Request } from "playwright-core";
import { readFixture } from "../../fixtures/read";
import {
  chooseVisitor,
  consoleApi,
  expectChatShown,
  openConsolePage,
  useDemo,
  shot,
  signIn,
  startChat,
  visitHost,
} from "./demo-session";

const png = Buffer.from(readFixture("fixture.png"));
const s = useDemo();
let agent: Page;
/** Every request the agent's console made for a file's bytes. */
const fileRequests: Request[] = [];
let chat: Locator;
let chatId = "";

beforeAll(async () => {
  await chooseVisitor(s, { ip: "192.0.2.120", country: "DE" });
  const visit = await visitHost(s);
  await expectChatShown(visit);
  await startChat(visit.page, "Here is a photo of the broken part");
  await visit.page
    .getByLabel("Attach a file")
    .setInputFiles({ name: "broken-part.png", mimeType: "image/png", buffer: png });
  await visit.page.getByRole("log").getByText("broken-part.png").first().waitFor();
  await visit.page.context().close();

  agent = await signIn(s, "agent");
  agent.on("request", (request) => {
    if (/\/api\/v1\/console\/files\//.test(request.url())) fileRequests.push(request);
  });
  chat = agent.getByRole("region", { name: "Chat" });
}, 30_000);

const image = () => chat.getByRole("img", { name: "broken-part.png" });
const hiddenPreview = () => chat.getByText(/broken-part\.png · .+ \(preview hidden\)/);
const loaded = () => image().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);

describe("image previews", () => {
  it(
    "hides the image by the agent's default from Options: name, size and kind shown, nothing fetched",
    { timeout: 30_000 },
    async () => {
      await openConsolePage(agent, "Options");
      const byDefault = agent.getByRole("checkbox", { name: "Show images visitors send, by default" });
      // A new agent sees previews by default; this one turns them off.
      expect(await byDefault.isChecked()).toBe(true);
      await byDefault.uncheck();
      await expect
        .poll(
          async () => (await (await (await consoleApi(s, "agent"))("/api/v1/console/me")).json()).options.imagePreviews,
        )
        .toBe(false);
      await shot(agent, "image-previews", "options-default-off");

      await openConsolePage(agent, "Chats");
      const row = agent
        .getByRole("region", { name: /^Requests/ })
        .getByRole("listitem")
        .filter({ hasText: "192.0.2.120" });
      await row.getByRole("button", { name: "Accept" }).click();
      await hiddenPreview().waitFor();
      chatId = decodeURIComponent(new URL(agent.url()).hash.split("/")[2] ?? "");
      expect(await hiddenPreview().textContent()).toMatch(/broken-part\.png · \d+ bytes · png/i);
      await agent.waitForTimeout(300);
      expect(await image().count()).toBe(0);
      expect(fileRequests).toEqual([]);
      await shot(agent, "image-previews", "chat-default-hidden");
    },
  );

  it("shows the image in this chat only when the agent turns previews on in its toolbar, and keeps that choice on the server", async () => {
    await chat.getByRole("button", { name: "Show image previews" }).click();
    await image().waitFor();
    await expect.poll(loaded).toBe(true);
    expect(fileRequests.length).toBeGreaterThan(0);
    await shot(agent, "image-previews", "chat-override-shown");
    const detail = await (await (await consoleApi(s, "agent"))(`/api/v1/console/conversations/${chatId}`)).json();
    expect(detail.previews).toEqual({ show: true, override: true });
    // The agent's default is untouched.
    await openConsolePage(agent, "Options");
    expect(await agent.getByRole("checkbox", { name: "Show images visitors send, by default" }).isChecked()).toBe(
      false,
    );
  });

  it('follows the default again after "Use my default", and shows the image once the default is on', async () => {
    await agent.goto(`${s.demo.urls.console}#/chats/${encodeURIComponent(chatId)}`);
    await image().waitFor();
    await chat.getByRole("button", { name: "Use my default" }).click();
    await hiddenPreview().waitFor();
    expect(await image().count()).toBe(0);
    await openConsolePage(agent, "Options");
    await agent.getByRole("checkbox", { name: "Show images visitors send, by default" }).check();
    await agent.goto(`${s.demo.urls.console}#/chats/${encodeURIComponent(chatId)}`);
    await image().waitFor();
    await expect.poll(loaded).toBe(true);
    await shot(agent, "image-previews", "chat-default-shown");
  });

  it("hides the image in this chat when the agent turns previews off in its toolbar, fetching nothing in a fresh session", async () => {
    await chat.getByRole("button", { name: "Hide image previews" }).click();
    await hiddenPreview().waitFor();
    // A new sign-in (no image cache) on the chat: the per-chat choice followed the agent, nothing is fetched.
    const fresh = await signIn(s, "agent");
    const seen: Request[] = [];
    fresh.on("request", (request) => {
      if (/\/api\/v1\/console\/files\//.test(request.url())) seen.push(request);
    });
    await fresh.goto(`${s.demo.urls.console}#/chats/${encodeURIComponent(chatId)}`);
    const freshChat = fresh.getByRole("region", { name: "Chat" });
    await freshChat.getByText(/broken-part\.png · .+ \(preview hidden\)/).waitFor();
    await fresh.waitForTimeout(300);
    expect(seen).toEqual([]);
    expect(await freshChat.getByRole("img").count()).toBe(0);
    await shot(fresh, "image-previews", "chat-override-hidden");
    await fresh.context().close();
  });
});
