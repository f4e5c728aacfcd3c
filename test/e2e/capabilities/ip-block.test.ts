// IP address block: the owner adds one address in Block Visitors; the visitor from it gets no chat,
// a visitor from another address still does.
import { expect, it } from "vitest";
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

const BLOCKED = "192.0.2.44";
const OTHER = "192.0.2.45";
const s = useDemo();

it(
  "hides the chat from an address the owner blocks in the console, and still shows it to another address",
  { timeout: 40_000 },
  async () => {
    await chooseVisitor(s, { ip: BLOCKED, country: "DE" });
    const before = await visitHost(s);
    await expectChatShown(before);
    await shot(before.page, "ip-block", "visitor-before-block");
    await before.page.context().close();

    const owner = await signIn(s, "owner");
    await openConsolePage(owner, "Block Visitors");
    const added = await addRules(owner, BLOCKED, "Spam from this address");
    expect(await added.innerText()).toBe(`Line 1: added ${BLOCKED} (address)`);
    await owner.getByRole("cell", { name: BLOCKED, exact: true }).waitFor();
    await shot(owner, "ip-block", "console-rule-added");

    const rules = (await (await (await consoleApi(s, "owner"))("/api/v1/console/rules")).json()).rules as {
      kind: string;
      rule: string;
      comment: string;
    }[];
    expect(rules.find((r) => r.rule === BLOCKED)).toMatchObject({ kind: "address", comment: "Spam from this address" });

    const blocked = await visitHost(s);
    await expectChatHidden(blocked);
    await shot(blocked.page, "ip-block", "blocked-visitor-no-chat");
    await blocked.page.context().close();

    await chooseVisitor(s, { ip: OTHER, country: "DE" });
    const other = await visitHost(s);
    await expectChatShown(other);
    await shot(other.page, "ip-block", "other-visitor-chat");
    await other.page.context().close();
    await owner.context().close();
  },
);
