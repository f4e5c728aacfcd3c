// The team in Chromium: an owner at a desk adds a co-worker and hands them a one-time link, the
// co-worker sets their password from it on a phone and signs in; when the owner removes them, the
// phone's open console signs out at once.
import { beforeAll, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_ACCOUNT } from "../../../demo/presets";
import { accessibilityViolations, newTab } from "../browser";
import { openConsolePage, shot, signIn, useDemo } from "./demo-session";

const s = useDemo();
const PHONE = { width: 390, height: 844 };
const EMAIL = "leaver@demo.test";
const NEW_PASSWORD = "a phone password, long enough";
let owner: Page;

beforeAll(async () => {
  owner = await signIn(s, "owner");
  await owner.setViewportSize({ width: 1280, height: 800 });
}, 30_000);

/** The owner's row for `email` in Options → Team. */
const member = (email: string) => owner.locator(".team > li").filter({ hasText: email });

it(
  "adds a co-worker and hands them a one-time link, which sets their password on a phone",
  { timeout: 30_000 },
  async () => {
    await openConsolePage(owner, "Options");
    const team = owner.getByRole("region", { name: "Team" });
    await team.getByLabel("Email").fill(EMAIL);
    await team.getByLabel("Password", { exact: true }).fill("a first password here");
    await team.getByRole("button", { name: "Add user" }).click();
    await member(EMAIL).waitFor();
    await member(EMAIL).getByRole("button", { name: "Password reset link" }).click();
    const link = await member(EMAIL).getByLabel(`Link for ${EMAIL} to set a new password`).inputValue();
    expect(link).toMatch(/\/console\/#\/reset\/[\w-]+$/);
    await shot(owner, "team", "owner-reset-link");

    const phone = await newTab(s.browser, { viewport: PHONE });
    phone.context().setDefaultTimeout(8_000);
    await phone.goto(link);
    await phone.getByLabel("New password").waitFor();
    expect(await accessibilityViolations(phone), "the reset page on a phone").toEqual([]);
    await phone.getByLabel("New password").fill(NEW_PASSWORD);
    await phone.getByRole("button", { name: "Set password" }).click();
    await phone.getByText("Your password is set").waitFor();
    await shot(phone, "team", "phone-password-set");
    await phone.getByRole("button", { name: "Sign in" }).click();
    await phone.getByLabel("Account").fill(DEMO_ACCOUNT.id);
    await phone.getByLabel("Email").fill(EMAIL);
    await phone.getByLabel("Password").fill(NEW_PASSWORD);
    await phone.getByRole("button", { name: "Sign in", exact: true }).click();
    await phone.getByRole("button", { name: "Sign out" }).waitFor();
    // The link worked once: used again, it says so.
    const again = await newTab(s.browser, { viewport: PHONE });
    await again.goto(link);
    await again.getByLabel("New password").fill("yet another password");
    await again.getByRole("button", { name: "Set password" }).click();
    await again.getByText(/This link is used, expired or replaced/).waitFor();

    // Removed while their console is open: it signs out without a reload, long before a heartbeat.
    await member(EMAIL).getByRole("button", { name: "Remove…" }).click();
    await member(EMAIL)
      .getByRole("button", { name: `Remove ${EMAIL}` })
      .click();
    await expect.poll(() => member(EMAIL).count()).toBe(0);
    await phone.getByRole("button", { name: "Sign in", exact: true }).waitFor({ timeout: 5_000 });
    await shot(phone, "team", "phone-removed-signed-out");
  },
);

it("keeps the last owner: demoting themselves is refused beside their row", { timeout: 15_000 }, async () => {
  const mine = owner.locator(".team > li").filter({ hasText: "(you)" });
  await mine.getByLabel(/^Role of /).selectOption("agent");
  await mine.getByText(/last owner/).waitFor();
  expect(await mine.getByLabel(/^Role of /).inputValue()).toBe("owner");
});
