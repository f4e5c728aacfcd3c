// Website rules set in the console: the allowed site shows the chat, a blocked path of it does not,
// and the copied site on another origin gets no chat and cannot even read Hatch's answers (CORS).
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNT } from "../../../demo/presets";
import {
  consoleApi,
  expectChatHidden,
  expectChatShown,
  openConsolePage,
  useDemo,
  savePolicy,
  shot,
  signIn,
  visitHost,
} from "./demo-session";

const s = useDemo();

beforeAll(async () => {
  const owner = await signIn(s, "owner");
  await openConsolePage(owner, "Block Visitors");
  await owner.getByLabel("Allowed websites").fill(s.demo.hostPattern);
  await owner.getByLabel("Blocked websites").fill(`${s.demo.hostPattern}/blocked`);
  await savePolicy(owner);
  await shot(owner, "websites", "console-lists");
  await owner.context().close();
}, 30_000);

describe("website rules", () => {
  it("keeps the lists the owner saved", async () => {
    const policy = await (await (await consoleApi(s, "owner"))("/api/v1/console/policy")).json();
    expect(policy.websites).toEqual({ allowed: [s.demo.hostPattern], blocked: [`${s.demo.hostPattern}/blocked`] });
  });

  it("shows the chat on the allowed site", async () => {
    const visit = await visitHost(s);
    await expectChatShown(visit);
    await shot(visit.page, "websites", "allowed-page-shown");
    await visit.page.context().close();
  });

  it("hides the chat on a blocked path of the allowed site", async () => {
    const visit = await visitHost(s, `${s.hostOrigin}/blocked`);
    await expectChatHidden(visit);
    await shot(visit.page, "websites", "blocked-path-hidden");
    // The same visitor on the page at / still gets the chat: it was the path that was blocked.
    await expectChatShown(await visitHost(s, s.demo.urls.host, visit.page));
    await visit.page.context().close();
  });

  it("gives the copied site on another origin no chat, and its page cannot read the verdict", async () => {
    const visit = await visitHost(s, s.demo.urls.copied);
    // The browser refuses the copied page the verdict itself: the request fails for want of CORS headers.
    await expectChatHidden(visit, true);
    const verdictUrl = `${s.demo.urls.proxy}/api/v1/widget/${DEMO_ACCOUNT.id}/verdict`;
    const read = await visit.page.evaluate(
      (url) =>
        fetch(`${url}?page=${encodeURIComponent(location.href)}`).then(
          () => "read",
          () => "refused",
        ),
      verdictUrl,
    );
    expect(read).toBe("refused");
    await shot(visit.page, "websites", "copied-site-no-chat");
    await visit.page.context().close();

    // What the browser refused: no Access-Control-Allow-Origin for the copied origin, for any page it names.
    const copiedOrigin = new URL(s.demo.urls.copied).origin;
    for (const page of [s.demo.urls.copied, s.demo.urls.host]) {
      const answer = await fetch(`${verdictUrl}?page=${encodeURIComponent(page)}`, {
        headers: { origin: copiedOrigin },
      });
      expect(answer.headers.get("access-control-allow-origin")).toBeNull();
      expect(await answer.json()).toEqual({ show: false });
    }
  });
});
