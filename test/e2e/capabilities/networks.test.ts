// The network switches, walked with the demo's presets: a visitor from a hosting network (an Amazon
// address, AS16509) and one from a Tor exit on the demo's list see no chat, "Test a visitor" names what
// hid each, and the owner turning the hosting switch off lets the hosting visitor in.
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { HOSTING_AS, presetById } from "../../../demo/presets";
import { expectVisitor, openConsolePage, useDemo, savePolicy, shot, signIn, testVisitor } from "./demo-session";

const HOSTING = presetById("hosting");
const TOR = presetById("tor");
const s = useDemo();
let owner: Page;

beforeAll(async () => {
  owner = await signIn(s, "owner");
  await openConsolePage(owner, "Block Visitors");
}, 30_000);

// Each test walks visitors through fresh browsers and the console: more than the default 20 s on a
// machine busy with the rest of the suite.
describe("the network switches", { timeout: 45_000 }, () => {
  it("hide the hosting preset's visitor, and Test a visitor names the AS that hid it", async () => {
    await expectVisitor(s, HOSTING, false, "networks", "hosting-hidden");
    const verdict = await testVisitor(s, owner, HOSTING);
    expect(verdict).toContain("Hidden: this visitor does not see the chat.");
    expect(verdict).toContain(
      `Hides (hosting networks): AS${HOSTING_AS.asn} ${HOSTING_AS.name} is a hosting, cloud or VPN network, and those are hidden.`,
    );
    // Nothing else hid it: no rule names the address, and it is no Tor exit.
    expect(verdict).toContain(`Allows (IP rules): ${HOSTING.ip} matches no IP rule.`);
    expect(verdict).toContain(`Allows (Tor exits): ${HOSTING.ip} is not on the Tor exit list.`);
    await shot(owner, "networks", "console-test-hosting");
  });

  it("hide the Tor exit preset's visitor, by the demo's exit list alone", async () => {
    await expectVisitor(s, TOR, false, "networks", "tor-hidden");
    // The demo's list: the "A Tor exit" preset's address and the "A challenged visitor" preset's.
    expect(await owner.locator(".tor-status").innerText()).toMatch(/^2 exits, read at /);
    const verdict = await testVisitor(s, owner, TOR);
    expect(verdict).toContain("Hidden: this visitor does not see the chat.");
    expect(verdict).toContain(`Hides (Tor exits): ${TOR.ip} is a Tor exit, and those are hidden.`);
    expect(verdict).toContain(`Allows (IP rules): ${TOR.ip} matches no IP rule.`);
    await shot(owner, "networks", "console-test-tor");
  });

  it("show the chat to the hosting visitor once the owner turns the hosting switch off, and still hide Tor", async () => {
    await owner.getByLabel("Hosting, cloud and VPN networks").selectOption({ label: "Off" });
    await savePolicy(owner);
    await shot(owner, "networks", "console-hosting-off");
    await expectVisitor(s, HOSTING, true, "networks", "hosting-shown-when-off");
    expect(await testVisitor(s, owner, HOSTING)).toContain(
      "Allows (hosting networks): Hosting, cloud and VPN networks are not hidden.",
    );
    await expectVisitor(s, TOR, false, "networks", "tor-still-hidden");
  });
});
