// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { BlockVisitorsPage } from "../../console/BlockVisitorsPage";
import { createPolicyModel } from "../../console/models/policy-model";
import type { NetworkStatus } from "../../console/types";
import { api, apiError, networkStatus, policyDoc, rule, server, url, useMockServer } from "./setup";

useMockServer();

const listen = () => () => {};

function renderPage(isOwner: boolean, networks: NetworkStatus = networkStatus()) {
  server.use(
    http.get(url("/rules"), () => HttpResponse.json({ rules: [rule()], total: 1 })),
    http.get(url("/policy"), () => HttpResponse.json(policyDoc(), { headers: { etag: `"1"` } })),
    http.get(url("/networks"), () => HttpResponse.json(networks)),
  );
  const policy = createPolicyModel(api);
  void policy.load();
  return render(<BlockVisitorsPage api={api} policy={policy} isOwner={isOwner} listen={listen} />);
}

/** Answers a policy save with what was sent, and keeps it. */
function savedPolicy(): { body: unknown } {
  const saved: { body: unknown } = { body: null };
  server.use(
    http.put(url("/policy"), async ({ request }) => {
      saved.body = await request.json();
      return HttpResponse.json(saved.body as object, { headers: { etag: `"2"` } });
    }),
  );
  return saved;
}

describe("Block Visitors", () => {
  it("says beside the website patterns that paths are advisory", async () => {
    renderPage(true);
    await screen.findByLabelText("Allowed websites");
    expect(screen.getByText(/The browser vouches only for a page's site/).textContent).toContain(
      "a visitor who sends another path gets past it",
    );
  });

  it("shows a bad website pattern's reason as it is typed and will not save", async () => {
    renderPage(true);
    fireEvent.input(await screen.findByLabelText("Blocked websites"), { target: { value: "example.com\n*.com" } });
    expect(await screen.findByText(/Line 2 \(\*\.com\)/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Save" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("on a 412 says someone else saved first and reloads keeping what was typed", async () => {
    server.use(
      http.put(url("/policy"), () => HttpResponse.json(apiError("stale", "Someone else saved."), { status: 412 })),
    );
    renderPage(true);
    fireEvent.input(await screen.findByLabelText("Allowed websites"), { target: { value: "example.com" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText(/Someone else saved these settings/)).toBeTruthy();
    server.use(http.get(url("/policy"), () => HttpResponse.json(policyDoc(), { headers: { etag: `"2"` } })));
    fireEvent.click(screen.getByRole("button", { name: /keep my changes/ }));
    await waitFor(() => expect(screen.queryByText(/Someone else saved these settings/)).toBeNull());
    expect((screen.getByLabelText("Allowed websites") as HTMLTextAreaElement).value).toBe("example.com");
  });

  it("blocks a country chosen by name", async () => {
    const saved = savedPolicy();
    renderPage(true);
    fireEvent.click(await screen.findByLabelText(/Block these countries/));
    fireEvent.input(screen.getByLabelText("Search countries"), { target: { value: "germ" } });
    fireEvent.click(screen.getByLabelText(/Germany/));
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText(/^Saved/);
    expect((saved.body as { countries: unknown }).countries).toEqual({ mode: "block", list: ["DE"] });
  });

  it("saves the network switches with the policy, both off until chosen, a challenge among the choices", async () => {
    const saved = savedPolicy();
    renderPage(true);
    const hosting = (await screen.findByLabelText("Hosting, cloud and VPN networks")) as HTMLSelectElement;
    const tor = screen.getByLabelText("Tor exits") as HTMLSelectElement;
    expect(hosting.value).toBe("off");
    expect(tor.value).toBe("off");
    expect([...hosting.options].map((o) => [o.value, o.textContent])).toEqual([
      ["off", "Off"],
      ["hide", "Hide the chat"],
      ["challenge", "Challenge (proof of work)"],
    ]);
    expect(
      screen.getByText(/^Challenge: the chat shows, but the visitor's browser must solve a proof of work/),
    ).toBeTruthy();
    fireEvent.change(hosting, { target: { value: "hide" } });
    fireEvent.change(tor, { target: { value: "challenge" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText(/^Saved/);
    expect((saved.body as { networks: unknown }).networks).toEqual({ hosting: "hide", tor: "challenge" });
  });

  it("says how many hosting networks Hatch knows", async () => {
    renderPage(true);
    expect(await screen.findByText(/Hatch knows 42 networks of hosting, cloud and VPN providers/)).toBeTruthy();
  });

  it.each([
    ["no list configured", {}, /^No Tor exit list is configured: set TOR_EXIT_LIST \(see README\)\.$/, null],
    [
      "a list read whole",
      { file: "/var/lib/tor-exits.txt", addresses: 1234, loadedAt: Date.parse("2026-01-01T10:00:00Z") },
      /^1234 exits, read at .+\.$/,
      null,
    ],
    [
      "a list too long, the rest ignored",
      {
        file: "/var/lib/tor-exits.txt",
        addresses: 100,
        loadedAt: Date.parse("2026-01-01T10:00:00Z"),
        error: "lists more than 100 addresses: the rest are ignored.",
      },
      /^100 exits, read at .+\.$/,
      "lists more than 100 addresses: the rest are ignored.",
    ],
  ])("shows the Tor exit list's state: %s", async (_, tor, text, error) => {
    const { container } = renderPage(true, networkStatus(tor));
    await screen.findByText(text);
    const shown = container.querySelector("fieldset.networks .error")?.textContent ?? null;
    expect(shown).toBe(error);
  });

  it("warns that the Tor switch hides no one while no list is configured", async () => {
    renderPage(true);
    fireEvent.change(await screen.findByLabelText("Tor exits"), { target: { value: "hide" } });
    expect(await screen.findByText("With no list, this switch hides no one.")).toBeTruthy();
  });

  it("tests a visitor with a visitor id and lists every reason, with a bad IP shown next to its field", async () => {
    let sent: unknown;
    server.use(
      http.post(url("/preview"), async ({ request }) => {
        sent = await request.json();
        return (sent as { ip: string }).ip === "1.2.3"
          ? HttpResponse.json(apiError("invalid", "ip: bad", { ip: "An IPv4 address has four parts." }), {
              status: 400,
            })
          : HttpResponse.json({
              show: false,
              reasons: [
                { check: "ip", hides: false, message: "198.51.100.4 matches no IP rule." },
                { check: "visitor", hides: true, message: "The visitor v_AAAAAAAAAAAAAAAA is blocked." },
                { check: "hosting", hides: false, message: "AS3320 is not a hosting network." },
              ],
            });
      }),
    );
    renderPage(true);
    fireEvent.input(await screen.findByLabelText("IP address"), { target: { value: "1.2.3" } });
    fireEvent.input(screen.getByLabelText("Page URL"), { target: { value: "https://example.com/" } });
    fireEvent.click(screen.getByRole("button", { name: "Test" }));
    expect(await screen.findByText("An IPv4 address has four parts.")).toBeTruthy();
    expect(sent).toEqual({ ip: "1.2.3", country: null, page: "https://example.com/", visitor: null });
    fireEvent.input(screen.getByLabelText("IP address"), { target: { value: "198.51.100.4" } });
    fireEvent.input(screen.getByLabelText("Visitor id (optional)"), { target: { value: " v_AAAAAAAAAAAAAAAA " } });
    fireEvent.click(screen.getByRole("button", { name: "Test" }));
    expect(await screen.findByText(/Hidden: this visitor does not see the chat/)).toBeTruthy();
    expect((sent as { visitor: string }).visitor).toBe("v_AAAAAAAAAAAAAAAA");
    expect(screen.getByText(/Hides \(visitor rules\): The visitor v_AAAAAAAAAAAAAAAA is blocked/)).toBeTruthy();
    expect(screen.getByText(/Allows \(hosting networks\): AS3320 is not a hosting network/)).toBeTruthy();
  });

  it("tells a visitor shown behind a proof of work, marking the reasons that challenge apart from those that hide", async () => {
    server.use(
      http.post(url("/preview"), () =>
        HttpResponse.json({
          show: true,
          challenged: true,
          reasons: [
            { check: "ip", hides: false, message: "198.51.100.4 matches no IP rule." },
            {
              check: "tor",
              hides: false,
              challenges: true,
              message:
                "198.51.100.4 is a Tor exit, and those are challenged: a proof of work before the first message.",
            },
          ],
        }),
      ),
    );
    renderPage(true);
    fireEvent.input(await screen.findByLabelText("IP address"), { target: { value: "198.51.100.4" } });
    fireEvent.input(screen.getByLabelText("Page URL"), { target: { value: "https://example.com/" } });
    fireEvent.click(screen.getByRole("button", { name: "Test" }));
    const verdict = (await screen.findByText(/^Shown, behind a proof of work/)).closest(".verdict");
    expect(verdict?.getAttribute("role")).toBe("status");
    expect(verdict?.classList.contains("verdict-challenged")).toBe(true);
    const tor = screen.getByText(/^Challenges \(Tor exits\): 198\.51\.100\.4 is a Tor exit/);
    expect(tor.className).toBe("challenges");
    expect(screen.getByText(/^Allows \(IP rules\)/).className).toBe("");
  });

  it.each([
    {
      mode: "hidden",
      show: false,
      reason: { check: "away", hides: true, message: "No agent is online, and the chat is hidden while no one is." },
      line: "Hides (agents online): No agent is online, and the chat is hidden while no one is.",
    },
    {
      mode: "taking messages",
      show: true,
      reason: { check: "away", hides: false, message: "No agent is online: the visitor may leave a message." },
      line: "Allows (agents online): No agent is online: the visitor may leave a message.",
    },
  ])("names the away check by what it looks at, with no agent online and the chat $mode", async (row) => {
    server.use(
      http.post(url("/preview"), () =>
        HttpResponse.json({
          show: row.show,
          challenged: false,
          reasons: [{ check: "ip", hides: false, message: "198.51.100.4 matches no IP rule." }, row.reason],
        }),
      ),
    );
    renderPage(true);
    fireEvent.input(await screen.findByLabelText("IP address"), { target: { value: "198.51.100.4" } });
    fireEvent.input(screen.getByLabelText("Page URL"), { target: { value: "https://example.com/" } });
    fireEvent.click(screen.getByRole("button", { name: "Test" }));
    const item = await screen.findByText(row.line);
    expect(item.className).toBe(row.reason.hides ? "hides" : "");
    expect(screen.getByText(row.show ? /^Shown: this visitor sees the chat/ : /^Hidden: this visitor/)).toBeTruthy();
  });

  it("credits the country and network operator data", async () => {
    renderPage(true);
    const credits = (await screen.findByText(/@ip-location-db\/asn/)).closest("footer");
    expect(credits?.textContent).toContain("@ip-location-db/asn (CC BY 4.0, RouteViews, DB-IP, NRO)");
    expect(credits?.textContent).toContain("@ip-location-db/geo-whois-asn-country-mmdb");
  });

  it("is read-only for an agent: no save, no switches to change, no visitor test", async () => {
    renderPage(false);
    await screen.findByLabelText("Allowed websites");
    expect(screen.queryByRole("button", { name: "Save" })).toBeNull();
    expect(screen.queryByText("Test a visitor")).toBeNull();
    expect((screen.getByLabelText(/Block these countries/) as HTMLInputElement).closest("fieldset")?.disabled).toBe(
      true,
    );
    expect((screen.getByLabelText("Tor exits") as HTMLSelectElement).closest("fieldset")?.disabled).toBe(true);
  });
});

describe("the page's index", () => {
  afterEach(() => history.replaceState(null, "", "#/"));

  /** The index's links, and the element each one's `#/block/ID` names. */
  function indexLinks() {
    const links = within(screen.getByRole("navigation", { name: "On this page" })).getAllByRole("link");
    return links.map((link) => ({
      link,
      target: document.getElementById(link.getAttribute("href")!.replace(/^#\/block\//, "")),
    }));
  }

  it("links each section in the order the page shows them, each named as its heading says", async () => {
    renderPage(true);
    await screen.findByLabelText("Allowed websites");
    const links = indexLinks();
    expect(links.map(({ link }) => link.textContent)).toEqual([
      "Rules",
      "Countries",
      "Networks",
      "Websites",
      "Automatic protection",
      "Screening",
      "Test a visitor",
    ]);
    for (const [i, { link, target }] of links.entries()) {
      expect(target?.querySelector("h2, legend")?.textContent).toBe(link.textContent);
      if (i > 0)
        expect(links[i - 1]!.target!.compareDocumentPosition(target!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    }
  });

  it("takes a click to its section, focused, and names the section in the address without leaving the page", async () => {
    renderPage(true);
    await screen.findByLabelText("Allowed websites");
    const { link, target } = indexLinks()[4]!;
    expect(link.getAttribute("href")).toBe("#/block/protection");
    fireEvent.click(link);
    expect(document.activeElement).toBe(target);
    expect(location.hash).toBe("#/block/protection");
  });

  it("opens at the section its address names once the settings arrive", async () => {
    history.replaceState(null, "", "#/block/websites");
    renderPage(true);
    await screen.findByLabelText("Allowed websites");
    await waitFor(() => expect(document.activeElement?.id).toBe("websites"));
  });

  it("leaves the owners' visitor test out of an agent's index", async () => {
    renderPage(false);
    await screen.findByLabelText("Allowed websites");
    expect(indexLinks().map(({ link }) => link.textContent)).toEqual([
      "Rules",
      "Countries",
      "Networks",
      "Websites",
      "Automatic protection",
      "Screening",
    ]);
  });
});

describe("automatic protection", () => {
  it("shows the defaults for every setting the stored policy leaves out", async () => {
    renderPage(true);
    const value = (label: string | RegExp) => (screen.getByLabelText(label) as HTMLInputElement).value;
    expect(((await screen.findByLabelText("Chats per hour")) as HTMLInputElement).value).toBe("6");
    expect(value("Messages per minute")).toBe("20");
    expect(value("Chats closed as spam before a ban")).toBe("2");
    expect(value("Ban length (minutes)")).toBe("60");
    expect((screen.getByLabelText(/Challenge every visitor/) as HTMLInputElement).checked).toBe(false);
    expect(value("Challenge difficulty")).toBe("50000");
    expect(screen.getByText(/about a second on a mid-range phone.* Default: 50000\./)).toBeTruthy();
  });

  it("sends the settings changed, and leaves those untouched (or emptied) to the defaults", async () => {
    const saved = savedPolicy();
    renderPage(true);
    fireEvent.input(await screen.findByLabelText("Chats per hour"), { target: { value: "3" } });
    fireEvent.input(screen.getByLabelText("Ban length (minutes)"), { target: { value: "120" } });
    fireEvent.input(screen.getByLabelText("Messages per minute"), { target: { value: "" } });
    fireEvent.click(screen.getByLabelText(/Challenge every visitor/));
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText(/^Saved/);
    expect((saved.body as { protection: unknown }).protection).toEqual({
      chatsPerHour: 3,
      banMinutes: 120,
      challengeEveryone: true,
    });
  });

  it("shows the server's refusal of a setting next to its field, and points to it from Save", async () => {
    server.use(
      http.put(url("/policy"), () =>
        HttpResponse.json(
          apiError("invalid", "protection.banMinutes: Ban length (minutes) is at least 1.", {
            "protection.banMinutes": "Ban length (minutes) is at least 1.",
          }),
          { status: 400 },
        ),
      ),
    );
    renderPage(true);
    const ban = await screen.findByLabelText("Ban length (minutes)");
    fireEvent.input(ban, { target: { value: "0" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    const error = await screen.findByText("Ban length (minutes) is at least 1.");
    expect(error.id).toBe("protection-banMinutes-error");
    expect(ban.getAttribute("aria-invalid")).toBe("true");
    expect(ban.getAttribute("aria-describedby")).toContain("protection-banMinutes-error");
    expect(screen.getByText("Not saved: fix the marked fields.")).toBeTruthy();
    expect(screen.queryByText(/^protection\.banMinutes:/)).toBeNull();
  });

  it("is read-only for an agent, who still sees the settings", async () => {
    renderPage(false);
    const chats = (await screen.findByLabelText("Chats per hour")) as HTMLInputElement;
    expect(chats.value).toBe("6");
    expect(chats.closest("fieldset")?.disabled).toBe(true);
    expect(chats.closest("fieldset")?.querySelector("legend")?.textContent).toBe("Automatic protection");
  });
});

describe("screening", () => {
  it("shows the defaults for every setting the stored policy leaves out", async () => {
    renderPage(true);
    const select = (label: string) => (screen.getByLabelText(label) as HTMLSelectElement).value;
    await screen.findByLabelText("Abusive words");
    expect(select("Abusive words")).toBe("mask");
    expect(select("Links in visitors' messages")).toBe("plain");
    expect((screen.getByLabelText(/Hide card numbers/) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText("Abusive messages before a ban") as HTMLInputElement).value).toBe("3");
    expect((screen.getByLabelText("Words to treat as abuse") as HTMLTextAreaElement).value).toBe("");
  });

  it("sends what the owner changed, one word or phrase a line", async () => {
    const saved = savedPolicy();
    renderPage(true);
    fireEvent.change(await screen.findByLabelText("Abusive words"), { target: { value: "hold" } });
    fireEvent.input(screen.getByLabelText("Words to treat as abuse"), {
      target: { value: "scammer\n\n  rip-off artist \n" },
    });
    fireEvent.input(screen.getByLabelText("Words never treated as abuse"), { target: { value: "Scunthorpe" } });
    fireEvent.click(screen.getByLabelText(/Hide card numbers/));
    fireEvent.change(screen.getByLabelText("Links in visitors' messages"), { target: { value: "allow" } });
    fireEvent.input(screen.getByLabelText("Abusive messages before a ban"), { target: { value: "0" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText(/^Saved/);
    expect((saved.body as { screening: unknown }).screening).toEqual({
      abuse: "hold",
      words: ["scammer", "rip-off artist"],
      allowed: ["Scunthorpe"],
      cards: false,
      links: "allow",
      abusiveMessages: 0,
    });
  });

  it("shows the server's refusal of a word next to its list, not in the save bar", async () => {
    server.use(
      http.put(url("/policy"), () =>
        HttpResponse.json(
          apiError("invalid", "screening.words.1: Words to treat as abuse: an entry has at most 60 characters.", {
            "screening.words.1": "Words to treat as abuse: an entry has at most 60 characters.",
          }),
          { status: 400 },
        ),
      ),
    );
    renderPage(true);
    const words = await screen.findByLabelText("Words to treat as abuse");
    fireEvent.input(words, { target: { value: `ok\n${"x".repeat(61)}` } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText("Words to treat as abuse: an entry has at most 60 characters.");
    expect(words.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Not saved: fix the marked fields.")).toBeTruthy();
  });
});
