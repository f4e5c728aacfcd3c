// The widget an owner made their own, in a real browser: the accent, the side, the label, the greeting
// and the team's name; at 1280 and 390 px, on a device that prefers light or dark; axe within the widget.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { readFixture } from "../fixtures/read";
import { editPolicy, signInAll, startHarness, type ConsoleClient, type Harness } from "../server/harness";
import {
  accessibilityViolations,
  sharedChromium,
  keepScreenshot,
  releaseChromium,
  snippetPage,
  startHostSite,
  type HostSite,
} from "./browser";

const LOOK = {
  accent: "#7b1fa2",
  position: "left",
  offset: [24, 32],
  label: "Talk to us",
  greeting: "Hello! Ask us anything about your order.",
  teamName: "Acme support",
};

let h: Harness;
let site: HostSite;
let browser: Browser;
let owner: ConsoleClient;

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: "loopback" });
  ({ owner } = await signInAll(h));
  await editPolicy(owner, (doc) => {
    doc.window = { ...(doc.window as object), ...LOOK };
  });
  // A host page long enough to scroll, to see that the phone's open panel stops it.
  site = await startHostSite(() => snippetPage(h.url, "acme", `<div style="height: 3000px">A long page</div>`));
  browser = await sharedChromium();
});
afterAll(async () => {
  await releaseChromium(browser);
  await site?.close();
  await h?.stop();
});

async function visit(viewport: { width: number; height: number }, colorScheme: "light" | "dark"): Promise<Page> {
  const page = await (await browser.newContext({ viewport, colorScheme })).newPage();
  await page.goto(`${site.origin}/shop`);
  return page;
}

/** The panel's background colour, read inside the widget's shadow root. */
const panelBackground = (page: Page) =>
  page.evaluate(() => {
    const panel = document.querySelector("hatch-chat")?.shadowRoot?.querySelector(".panel");
    return panel ? getComputedStyle(panel).backgroundColor : null;
  });

describe.each([
  ["1280", { width: 1280, height: 800 }, "light"],
  ["1280", { width: 1280, height: 800 }, "dark"],
  ["390", { width: 390, height: 844 }, "light"],
  ["390", { width: 390, height: 844 }, "dark"],
] as const)("at %s px on a device preferring %s", (width, viewport, scheme) => {
  it("draws the owner's look, follows the device's scheme, and passes axe", async () => {
    const page = await visit(viewport, scheme);
    const button = page.getByRole("button", { name: "Talk to us" });
    await button.waitFor();
    const box = (await button.boundingBox())!;
    // Bottom left, at the owner's offsets.
    expect(box.x).toBe(24);
    expect(viewport.height - (box.y + box.height)).toBe(32);
    expect(await button.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(123, 31, 162)");
    expect(await accessibilityViolations(page, "hatch-chat"), "the closed widget").toEqual([]);
    await keepScreenshot(page, `widget-look-${width}-${scheme}-closed`);

    await button.click();
    const panel = page.getByRole("dialog", { name: "Acme support" });
    await panel.getByText(LOOK.greeting).waitFor();
    expect(await panelBackground(page)).toBe(scheme === "dark" ? "rgb(29, 33, 39)" : "rgb(255, 255, 255)");
    if (width === "390") {
      // The open panel is the screen, its close button in reach, the page under it still.
      // Polled: the panel slides in for a moment.
      await expect.poll(() => panel.boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).overflowY)).toBe("hidden");
      await panel.getByRole("button", { name: "Close chat" }).click();
      await page.getByRole("button", { name: "Talk to us" }).waitFor();
      await expect
        .poll(() => page.evaluate(() => getComputedStyle(document.documentElement).overflowY))
        .not.toBe("hidden");
      await page.getByRole("button", { name: "Talk to us" }).click();
      await panel.waitFor();
    }
    expect(await accessibilityViolations(page, "hatch-chat"), "the open panel").toEqual([]);
    await keepScreenshot(page, `widget-look-${width}-${scheme}-open`);
    await page.context().close();
  });
});

describe("a scheme the owner forces", () => {
  it.each([
    ["dark", "light", "rgb(29, 33, 39)"],
    ["light", "dark", "rgb(255, 255, 255)"],
  ] as const)("draws %s on a device preferring %s", async (scheme, device, background) => {
    await editPolicy(owner, (doc) => {
      doc.window = { ...(doc.window as object), scheme };
    });
    try {
      const page = await visit({ width: 1280, height: 800 }, device);
      await page.getByRole("button", { name: "Talk to us" }).click();
      await page.getByRole("dialog", { name: "Acme support" }).waitFor();
      expect(await panelBackground(page)).toBe(background);
      expect(await accessibilityViolations(page, "hatch-chat")).toEqual([]);
      await page.context().close();
    } finally {
      await editPolicy(owner, (doc) => {
        delete (doc.window as { scheme?: string }).scheme;
      });
    }
  });
});

describe("the console's preview of the widget", () => {
  it("draws the look it is sent, the team's saved avatar with it, from the account's widget API", async () => {
    const uploaded = await owner.fetch("/api/v1/console/avatar", {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: readFixture("fixture.png"),
    });
    const { fileId } = (await uploaded.json()) as { fileId: string };
    await editPolicy(owner, (doc) => {
      doc.window = { ...(doc.window as object), avatar: fileId };
    });
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${h.url}/console/widget-preview`);
    // The console posts from its frame's parent; a page on its own is its own parent.
    await page.evaluate(
      (avatar) =>
        postMessage({ config: { teamName: "Acme support", avatar }, open: true, account: "acme" }, location.origin),
      fileId,
    );
    const panel = page.getByRole("dialog", { name: "Acme support" });
    await panel.waitFor();
    const avatar = panel.locator("img.avatar");
    await expect
      .poll(() => avatar.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
    expect(await avatar.getAttribute("src")).toBe(`${h.url}/api/v1/widget/acme/avatars/${fileId}`);
    await page.context().close();
  });
});
