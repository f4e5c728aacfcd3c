// The widget speaks the visitor's language, as the browser's languages say (German for de-DE, Arabic
// laid out right to left for ar), unless the owner pins one in Live Chat Window (French, whatever the browser).
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { Texts } from "../../../widget/i18n/en";
import { ar } from "../../../widget/i18n/ar";
import { de } from "../../../widget/i18n/de";
import { fr } from "../../../widget/i18n/fr";
import {
  chooseVisitor,
  consoleApi,
  openConsolePage,
  useDemo,
  savePolicy,
  shot,
  signIn,
  visitHost,
  type HostVisit,
} from "./demo-session";
import { newTab } from "../browser";

const VIEWPORT = { width: 900, height: 800 };

const s = useDemo();
let agent: Page;

beforeAll(async () => {
  await chooseVisitor(s, { ip: "192.0.2.91", country: "DE" });
  // An agent online, so that the panel shows the composer (while nobody is, a form asks for an email
  // first: test/e2e/capabilities/away-messages.test.ts).
  agent = await signIn(s, "agent");
  // A loop, not expect.poll, which cannot run in beforeAll: the server learns of the console within seconds.
  for (let tries = 0; ; tries++) {
    const visit = await visitHost(s);
    await visit.page.context().close();
    if ((visit.verdict as { config?: { away?: boolean } } | null)?.config?.away !== true) break;
    if (tries === 30) throw new Error("The verdict still says nobody is online with the agent's console open.");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}, 30_000);
afterAll(() => agent.context().close());

/** A tab in a fresh browser context whose languages are `locale` (navigator.languages and Accept-Language). */
async function browserIn(locale: string): Promise<Page> {
  const page = await newTab(s.browser, { locale, viewport: VIEWPORT });
  page.context().setDefaultTimeout(8_000);
  return page;
}

/** The language the owner pinned, as the verdict handed it to the widget; undefined when none is. */
const pinned = (visit: HostVisit) => (visit.verdict as { config?: { language?: string } } | null)?.config?.language;

/** The `lang` and `dir` of the widget's root, the element inside <hatch-chat>'s shadow root that holds it all. */
const rootOf = (page: Page) =>
  page.locator("hatch-chat").evaluate((host) => {
    const root = host.shadowRoot?.querySelector("div[dir]");
    return { lang: root?.getAttribute("lang"), dir: root?.getAttribute("dir") };
  });

/** The chat button's name is the table's; opening it shows the panel, its status, the field and Send in the same words. */
async function expectSpoken(page: Page, texts: Texts): Promise<void> {
  await page.getByRole("button", { name: texts["button.open"], exact: true }).click();
  const dialog = page.getByRole("dialog", { name: texts["panel.title"], exact: true });
  await dialog.waitFor();
  await dialog.getByText(texts["status.none"], { exact: true }).waitFor();
  expect(
    await dialog.getByRole("textbox", { name: texts["composer.label"], exact: true }).getAttribute("placeholder"),
  ).toBe(texts["composer.placeholder"]);
  await dialog.getByRole("button", { name: texts["composer.send"], exact: true }).waitFor();
  await dialog.getByRole("button", { name: texts["composer.attach"], exact: true }).waitFor();
  expect(
    await page.getByRole("button", { name: texts["button.close"], exact: true }).getAttribute("aria-expanded"),
  ).toBe("true");
  // Nothing of the English table is left.
  expect(await page.getByRole("button", { name: "Open chat" }).count()).toBe(0);
  expect(await page.getByRole("dialog", { name: "Chat with us" }).count()).toBe(0);
}

it("speaks German to a browser whose language is de-DE", { timeout: 30_000 }, async () => {
  const visit = await visitHost(s, s.demo.urls.host, await browserIn("de-DE"));
  expect(visit.verdict?.show).toBe(true);
  expect(pinned(visit)).toBeUndefined();
  await expectSpoken(visit.page, de);
  expect(await rootOf(visit.page)).toEqual({ lang: "de", dir: "ltr" });
  await shot(visit.page, "languages", "german-browser");
  await visit.page.context().close();
});

it("speaks Arabic, laid out right to left, to a browser whose language is ar", { timeout: 30_000 }, async () => {
  const visit = await visitHost(s, s.demo.urls.host, await browserIn("ar"));
  const { page } = visit;
  expect(visit.verdict?.show).toBe(true);
  // The button sits in the corner where a right-to-left reader's line ends: the left one.
  const button = await page.getByRole("button", { name: ar["button.open"], exact: true }).boundingBox();
  expect(button!.x + button!.width).toBeLessThan(VIEWPORT.width / 2);
  await expectSpoken(page, ar);
  expect(await rootOf(page)).toEqual({ lang: "ar", dir: "rtl" });
  const dialog = page.getByRole("dialog", { name: ar["panel.title"], exact: true });
  expect(await dialog.evaluate((panel) => getComputedStyle(panel).direction)).toBe("rtl");
  const panel = await dialog.boundingBox();
  expect(panel!.x).toBeLessThan(VIEWPORT.width / 2);
  // The composer is mirrored: the field first, on the right, and Send after it, on its left.
  const field = await dialog.getByRole("textbox", { name: ar["composer.label"], exact: true }).boundingBox();
  const send = await dialog.getByRole("button", { name: ar["composer.send"], exact: true }).boundingBox();
  expect(send!.x + send!.width).toBeLessThanOrEqual(field!.x);
  await shot(page, "languages", "arabic-browser");
  await page.context().close();
});

it("speaks the language the owner pins in Live Chat Window, whatever the browser's", { timeout: 40_000 }, async () => {
  const owner = await signIn(s, "owner");
  await openConsolePage(owner, "Live Chat Window");
  await owner.getByLabel("The chat speaks").selectOption({ label: "Français" });
  await savePolicy(owner);
  await shot(owner, "languages", "owner-pins-french");
  const api = await consoleApi(s, "owner");
  expect((await (await api("/api/v1/console/policy")).json()).window).toMatchObject({ language: "fr" });

  // The new policy reaches the verdict at once, or after a cache's refresh: the German browser asks until it does.
  const page = await browserIn("de-DE");
  let visit = await visitHost(s, s.demo.urls.host, page);
  await expect
    .poll(
      async () => {
        if (pinned(visit) !== "fr") visit = await visitHost(s, s.demo.urls.host, page);
        return pinned(visit);
      },
      { timeout: 15_000 },
    )
    .toBe("fr");
  await expectSpoken(page, fr);
  expect(await rootOf(page)).toEqual({ lang: "fr", dir: "ltr" });
  await shot(page, "languages", "german-browser-pinned-french");
  await page.context().close();
  await owner.context().close();
});
