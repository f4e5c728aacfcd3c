// A rule for a whole network operator: the owner pastes AS13335 in Block Visitors, and 1.0.0.1 and
// 1.1.1.1 (both Cloudflare's in the bundled ASN data) see no chat, though no rule names their addresses
// and Cloudflare is no hosting network to the hosting switch; removing the rule lets them in again.
// The rules export as CSV in the browser, and reading the file back restores the rule.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { Visitor } from "../../../demo/presets";
import { addRules, expectVisitor, openConsolePage, useDemo, shot, signIn, testVisitor } from "./demo-session";

const CLOUDFLARE: Visitor = { ip: "1.0.0.1", country: "AU" };
const CLOUDFLARE_TOO: Visitor = { ip: "1.1.1.1", country: "AU" };
const COMMENT = "Scrapers behind Cloudflare WARP";
const s = useDemo();
let owner: Page;

beforeAll(async () => {
  owner = await signIn(s, "owner");
  await openConsolePage(owner, "Block Visitors");
}, 30_000);

const asRow = () => owner.getByRole("row").filter({ has: owner.getByRole("cell", { name: "AS", exact: true }) });

// Each test walks three or four visitors through fresh browsers and the console: more than the default
// 20 s on a machine busy with the rest of the suite.
describe("an AS rule", { timeout: 45_000 }, () => {
  it("hides every address of AS13335 once pasted in Block Visitors", async () => {
    // With the demo's hosting switch on: Cloudflare is not on the hosting list, so the chat shows.
    await expectVisitor(s, CLOUDFLARE, true, "as-rule", "before-rule-shown");
    const added = await addRules(owner, "AS13335", COMMENT);
    expect(await added.innerText()).toBe("Line 1: added AS13335 (AS)");
    await asRow().waitFor();
    expect(await asRow().innerText()).toMatch(/AS13335 Cloudflare, Inc\.[\s\S]*Scrapers behind Cloudflare WARP/);
    await shot(owner, "as-rule", "console-rule-added");

    await expectVisitor(s, CLOUDFLARE, false, "as-rule", "rule-hides-1.0.0.1");
    await expectVisitor(s, CLOUDFLARE_TOO, false, "as-rule", "rule-hides-1.1.1.1");
    const verdict = await testVisitor(s, owner, CLOUDFLARE);
    expect(verdict).toContain("Hides (AS rules): 1.0.0.1 is in AS13335 Cloudflare, Inc., blocked by the rule AS13335.");
    await shot(owner, "as-rule", "console-test-hidden");
  });

  it("exports as CSV, and the file read back restores the rule once removed", async () => {
    const download = owner.waitForEvent("download");
    await owner.getByRole("link", { name: "Export CSV" }).click();
    const csv = readFileSync((await (await download).path())!, "utf8");
    expect(csv).toMatch(/^as,AS13335,Scrapers behind Cloudflare WARP,/m);

    // A removal can be undone for a few seconds: the rule goes from the list at once, from the store after.
    const removed = owner.waitForResponse((r) => r.request().method() === "DELETE", { timeout: 10_000 });
    await owner.getByRole("button", { name: "Remove AS13335" }).click();
    await expect.poll(() => asRow().count()).toBe(0);
    expect((await removed).status()).toBe(204);
    await shot(owner, "as-rule", "console-rule-removed");
    await expectVisitor(s, CLOUDFLARE, true, "as-rule", "removed-rule-shown");

    await owner
      .getByLabel("Import CSV")
      .setInputFiles({ name: "rules.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    // The demo's own address rule is in the file too, and still in place: merged, not stored twice.
    await owner.getByText(/^Restored 1 rule\. Already in place, merged: line \d\.$/).waitFor();
    await asRow().waitFor();
    expect(await asRow().innerText()).toContain(COMMENT);
    await shot(owner, "as-rule", "console-rule-restored");
    await expectVisitor(s, CLOUDFLARE, false, "as-rule", "restored-rule-hides");
  });
});
