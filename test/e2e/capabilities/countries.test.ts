// Country rules from the console: a block list, an allow list, and visitors whose country is unknown
// (a private address with no country), hidden by an allow list and shown by a block list unless the
// owner chooses otherwise.
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { Visitor } from "../../../demo/presets";
import { expectVisitor, openConsolePage, useDemo, savePolicy, shot, signIn } from "./demo-session";

const s = useDemo();
let owner: Page;

const GERMAN: Visitor = { ip: "192.0.2.91", country: "DE" };
const FRENCH: Visitor = { ip: "192.0.2.92", country: "FR" };
const RUSSIAN: Visitor = { ip: "192.0.2.93", country: "RU" };
/** No country header and a private address, so the GeoIP lookup finds nothing. */
const UNKNOWN: Visitor = { ip: "10.0.0.5", country: null };

beforeAll(async () => {
  owner = await signIn(s, "owner");
  await openConsolePage(owner, "Block Visitors");
}, 30_000);

async function tick(name: string, on: boolean): Promise<void> {
  await owner.getByLabel("Search countries").fill(name);
  await owner.getByRole("checkbox", { name: new RegExp(`^${name}`) }).setChecked(on);
}

const unknownChoice = (label: "see the chat" | "do not see it") =>
  owner.getByRole("radiogroup", { name: "Visitors whose country is unknown" }).getByRole("radio", { name: label });

// Each test saves in the console and walks three visitors through fresh browsers: more than the default
// 20 s on a machine busy with the rest of the suite.
describe("countries", { timeout: 45_000 }, () => {
  it("with the demo's block list, hides RU, shows DE, and shows an unknown country by default", async () => {
    expect(await owner.getByRole("radio", { name: "Block these countries" }).isChecked()).toBe(true);
    expect(await unknownChoice("see the chat").isChecked()).toBe(true);
    await shot(owner, "countries", "console-block-list");
    await expectVisitor(s, RUSSIAN, false, "countries", "block-list-ru-hidden");
    await expectVisitor(s, GERMAN, true, "countries", "block-list-de-shown");
    await expectVisitor(s, UNKNOWN, true, "countries", "block-list-unknown-shown");
  });

  it("with an allow list of DE only, shows DE, hides FR, and hides an unknown country by default", async () => {
    await owner.getByRole("radio", { name: "Allow only these countries" }).check();
    await tick("Russia", false);
    await tick("Germany", true);
    await owner.getByText("Chosen: Germany", { exact: true }).waitFor();
    expect(await unknownChoice("do not see it").isChecked()).toBe(true);
    await savePolicy(owner);
    await shot(owner, "countries", "console-allow-list");
    await expectVisitor(s, GERMAN, true, "countries", "allow-list-de-shown");
    await expectVisitor(s, FRENCH, false, "countries", "allow-list-fr-hidden");
    await expectVisitor(s, UNKNOWN, false, "countries", "allow-list-unknown-hidden");
  });

  it("shows an unknown country under an allow list once the owner chooses so", async () => {
    await unknownChoice("see the chat").check();
    await savePolicy(owner);
    await expectVisitor(s, UNKNOWN, true, "countries", "allow-list-unknown-overridden-shown");
    await expectVisitor(s, FRENCH, false, "countries", "allow-list-fr-still-hidden");
  });

  it("hides an unknown country under a block list once the owner chooses so", async () => {
    await owner.getByRole("radio", { name: "Block these countries" }).check();
    await tick("Germany", false);
    await tick("Russia", true);
    await unknownChoice("do not see it").check();
    await savePolicy(owner);
    await shot(owner, "countries", "console-block-list-unknown-hidden");
    await expectVisitor(s, UNKNOWN, false, "countries", "block-list-unknown-overridden-hidden");
    await expectVisitor(s, RUSSIAN, false, "countries", "block-list-ru-hidden-again");
    await expectVisitor(s, GERMAN, true, "countries", "block-list-de-shown-again");
  });
});
