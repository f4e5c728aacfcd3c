// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { BlockVisitorsPage } from "../../console/BlockVisitorsPage";
import { createPolicyModel } from "../../console/models/policy-model";
import { api, apiError, policyDoc, rule, seen, server, url, useMockServer } from "./setup";

useMockServer();

const listen = () => () => {};

function renderPage(isOwner: boolean, rules = [rule()]) {
  server.use(
    http.get(url("/ip-rules"), () => HttpResponse.json({ rules })),
    http.get(url("/policy"), () => HttpResponse.json(policyDoc(), { headers: { etag: `"1"` } })),
  );
  const policy = createPolicyModel(api);
  void policy.load();
  return render(<BlockVisitorsPage api={api} policy={policy} isOwner={isOwner} listen={listen} />);
}

describe("Block Visitors", () => {
  it("lists rules with who made them, linking an agent's rule to its chat", async () => {
    renderPage(true);
    expect(await screen.findByText("198.51.100.0/24")).toBeTruthy();
    expect(screen.getByRole("link", { name: "chat conv_9" }).getAttribute("href")).toBe("#/chats/conv_9");
  });

  it("says what to do when there are no rules", async () => {
    renderPage(true, []);
    expect(await screen.findByText(/No IP rules yet: add an address/)).toBeTruthy();
  });

  it("marks a bad pasted line with its reason and sends nothing until it is fixed", async () => {
    server.use(
      http.post(url("/ip-rules"), () =>
        HttpResponse.json(
          {
            rules: [],
            lines: [
              { line: 1, input: "203.0.113.7/24", status: "added", network: "203.0.113.0/24", hostBitsCleared: true },
              {
                line: 2,
                input: "203.0.113.9/24",
                status: "merged",
                network: "203.0.113.0/24",
                into: "line 1",
                message: "Already covered by line 1 (203.0.113.0/24).",
              },
            ],
          },
          { status: 201 },
        ),
      ),
    );
    renderPage(true);
    const box = await screen.findByLabelText("Addresses or networks, one a line");
    fireEvent.input(box, { target: { value: "203.0.113.7/24\n256.1.1.1" } });
    expect(await screen.findByText(/Line 2 \(256\.1\.1\.1\)/)).toBeTruthy();
    expect(box.getAttribute("aria-invalid")).toBe("true");
    expect((screen.getByRole("button", { name: "Add rules" }) as HTMLButtonElement).disabled).toBe(true);
    expect(seen.filter((line) => line.startsWith("POST"))).toEqual([]);
    fireEvent.input(box, { target: { value: "203.0.113.7/24\n203.0.113.9/24" } });
    fireEvent.click(screen.getByRole("button", { name: "Add rules" }));
    const added = await screen.findByRole("status", { name: "Added rules" });
    expect(added.textContent).toMatch(/stored as 203\.0\.113\.0\/24/);
    expect(added.textContent).toMatch(/Already covered by line 1/);
  });

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
    let saved: unknown;
    server.use(
      http.put(url("/policy"), async ({ request }) => {
        saved = await request.json();
        return HttpResponse.json(saved as object, { headers: { etag: `"2"` } });
      }),
    );
    renderPage(true);
    fireEvent.click(await screen.findByLabelText(/Block these countries/));
    fireEvent.input(screen.getByLabelText("Search countries"), { target: { value: "germ" } });
    fireEvent.click(screen.getByLabelText(/Germany/));
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText(/^Saved/);
    expect((saved as { countries: unknown }).countries).toEqual({ mode: "block", list: ["DE"] });
  });

  it("tests a visitor and lists every reason, with a bad IP shown next to its field", async () => {
    server.use(
      http.post(url("/preview"), async ({ request }) => {
        const body = (await request.json()) as { ip: string };
        return body.ip === "1.2.3"
          ? HttpResponse.json(apiError("invalid", "ip: bad", { ip: "An IPv4 address has four parts." }), {
              status: 400,
            })
          : HttpResponse.json({
              show: false,
              reasons: [
                { check: "ip", hides: true, message: "Blocked by 198.51.100.0/24." },
                { check: "country", hides: false, message: "Country rule is off." },
              ],
            });
      }),
    );
    renderPage(true);
    fireEvent.input(await screen.findByLabelText("IP address"), { target: { value: "1.2.3" } });
    fireEvent.input(screen.getByLabelText("Page URL"), { target: { value: "https://example.com/" } });
    fireEvent.click(screen.getByRole("button", { name: "Test" }));
    expect(await screen.findByText("An IPv4 address has four parts.")).toBeTruthy();
    fireEvent.input(screen.getByLabelText("IP address"), { target: { value: "198.51.100.4" } });
    fireEvent.click(screen.getByRole("button", { name: "Test" }));
    expect(await screen.findByText(/Hidden: this visitor does not see the chat/)).toBeTruthy();
    expect(screen.getByText(/Blocked by 198\.51\.100\.0\/24/)).toBeTruthy();
    expect(screen.getByText(/Country rule is off/)).toBeTruthy();
  });

  it("is read-only for an agent: no add, no remove, no save, no visitor test", async () => {
    renderPage(false);
    expect(await screen.findByText("198.51.100.0/24")).toBeTruthy();
    await screen.findByLabelText("Allowed websites");
    expect(screen.queryByRole("button", { name: /Remove/ })).toBeNull();
    expect(screen.queryByLabelText("Addresses or networks, one a line")).toBeNull();
    expect(screen.queryByRole("button", { name: "Save" })).toBeNull();
    expect(screen.queryByText("Test a visitor")).toBeNull();
    expect((screen.getByLabelText(/Block these countries/) as HTMLInputElement).closest("fieldset")?.disabled).toBe(
      true,
    );
  });
});
