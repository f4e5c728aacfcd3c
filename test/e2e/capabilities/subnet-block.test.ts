// Subnet block, IPv4 and IPv6: networks added in Block Visitors hide every address inside them and
// none outside; a network typed with host bits is stored, and shown, as its network address.
import { beforeAll, describe, expect, it } from "vitest";
import {
  addRules,
  chooseVisitor,
  consoleApi,
  expectChatHidden,
  expectChatShown,
  openConsolePage,
  useDemo,
  shot,
  signIn,
  visitHost,
} from "./demo-session";

const s = useDemo();

beforeAll(async () => {
  const owner = await signIn(s, "owner");
  await openConsolePage(owner, "Block Visitors");
  await addRules(owner, "198.51.100.0/24\n2001:db8:abcd::/48\n203.0.113.7/24", "Abusive networks");
  await shot(owner, "subnet-block", "console-networks-added");
  await owner.context().close();
}, 30_000);

describe("networks added in the console", () => {
  it("clears host bits and shows the stored network", async () => {
    const owner = await signIn(s, "owner");
    await openConsolePage(owner, "Block Visitors");
    for (const network of ["198.51.100.0/24", "2001:db8:abcd::/48", "203.0.113.0/24"]) {
      await owner.getByRole("cell", { name: network, exact: true }).waitFor();
    }
    expect(await owner.getByRole("cell", { name: "203.0.113.7/24", exact: true }).count()).toBe(0);
    // The add form's answer names what was stored for the line with host bits.
    const added = await addRules(owner, "203.0.113.9/24", "Abusive networks");
    expect(await added.innerText()).toMatch(/203\.0\.113\.0\/24/);
    await shot(owner, "subnet-block", "console-host-bits-cleared");
    const rules = (await (await (await consoleApi(s, "owner"))("/api/v1/console/rules")).json()).rules as {
      rule: string;
    }[];
    expect(rules.filter((r) => r.rule === "203.0.113.0/24")).toHaveLength(1);
    await owner.context().close();
  });

  it.each([
    ["hides the chat from 198.51.100.7, inside 198.51.100.0/24", "198.51.100.7", false, "v4-inside-low"],
    ["hides the chat from 198.51.100.200, inside 198.51.100.0/24", "198.51.100.200", false, "v4-inside-high"],
    ["shows the chat to 198.51.101.1, just outside 198.51.100.0/24", "198.51.101.1", true, "v4-outside"],
    ["hides the chat from 2001:db8:abcd:1::5, inside 2001:db8:abcd::/48", "2001:db8:abcd:1::5", false, "v6-inside"],
    ["shows the chat to 2001:db8:abce::1, outside 2001:db8:abcd::/48", "2001:db8:abce::1", true, "v6-outside"],
  ] as const)("%s", async (_name, ip, shown, state) => {
    await chooseVisitor(s, { ip, country: "DE" });
    const visit = await visitHost(s);
    if (shown) await expectChatShown(visit);
    else await expectChatHidden(visit);
    await shot(visit.page, "subnet-block", state);
    await visit.page.context().close();
  });
});
