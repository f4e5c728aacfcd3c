// @vitest-environment happy-dom
// Integrations (owners): add a webhook endpoint and see its secret once, refusals beside their field,
// a test event, deliveries with redelivery of a failed one, removal confirmed in place, switching on
// an endpoint switched off after a day of failures; agents have no such page.

import { fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { WEBHOOK_EVENTS } from "../../policy/wire";
import { IntegrationsPage } from "../../console/IntegrationsPage";
import type { Route } from "../../console/router";
import type { Me, WebhookDelivery, WebhookEndpoint } from "../../console/types";
import { agent, api, apiError, owner, policyDoc, seen, server, url, useMockServer } from "./setup";
import { drawApp } from "./draw-app";

useMockServer();

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

const endpoint = (over: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  id: "wh_1",
  url: "https://hooks.example.com/hatch",
  events: [...WEBHOOK_EVENTS],
  createdAt: "2026-01-01T10:00:00.000Z",
  disabledAt: null,
  ...over,
});

const delivery = (over: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  id: 1,
  eventId: "msg_1",
  type: "chat.started",
  status: "delivered",
  attempts: 1,
  createdAt: "2026-01-01T11:00:00.000Z",
  nextAt: null,
  lastError: null,
  ...over,
});

function renderPage(endpoints: WebhookEndpoint[] = [endpoint()]) {
  server.use(http.get(url("/webhooks"), () => HttpResponse.json({ endpoints })));
  return render(<IntegrationsPage api={api} />);
}

/** The list item of the endpoint at `address`. */
const item = async (address: string) => (await screen.findByText(address)).closest("li") as HTMLElement;

describe("adding an endpoint", () => {
  it("sends the URL with every event ticked, and shows the secret once", async () => {
    let sent: unknown;
    server.use(
      http.post(url("/webhooks"), async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(
          { endpoint: endpoint({ id: "wh_2", url: "https://crm.example.org/in" }), secret: SECRET },
          { status: 201 },
        );
      }),
    );
    renderPage([]);
    expect(await screen.findByText(/No endpoints yet/)).toBeTruthy();
    for (const event of WEBHOOK_EVENTS)
      expect((screen.getByRole("checkbox", { name: event }) as HTMLInputElement).checked).toBe(true);
    const visitorBanned = screen.getByRole("checkbox", { name: "visitor.banned" });
    expect(document.getElementById(visitorBanned.getAttribute("aria-describedby") ?? "")?.textContent).toMatch(
      /automatic protection/,
    );
    fireEvent.input(screen.getByLabelText("URL"), { target: { value: " https://crm.example.org/in " } });
    fireEvent.click(screen.getByRole("button", { name: "Add endpoint" }));

    const secret = (await screen.findByLabelText("Signing secret for https://crm.example.org/in")) as HTMLInputElement;
    expect(sent).toEqual({ url: "https://crm.example.org/in", events: [...WEBHOOK_EVENTS] });
    expect(secret.value).toBe(SECRET);
    expect(secret.readOnly).toBe(true);
    expect(screen.getByText("Shown once: store it where your receiver verifies signatures.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Copy" })).toBeTruthy();
    expect(await item("https://crm.example.org/in")).toBeTruthy();
    expect((screen.getByLabelText("URL") as HTMLInputElement).value).toBe("");

    fireEvent.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.queryByDisplayValue(SECRET)).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it("sends only the events left ticked", async () => {
    let sent: { events?: unknown } = {};
    server.use(
      http.post(url("/webhooks"), async ({ request }) => {
        sent = (await request.json()) as typeof sent;
        return HttpResponse.json({ endpoint: endpoint({ events: ["chat.started"] }), secret: SECRET }, { status: 201 });
      }),
    );
    renderPage([]);
    fireEvent.input(await screen.findByLabelText("URL"), { target: { value: "https://hooks.example.com/hatch" } });
    for (const event of WEBHOOK_EVENTS.filter((e) => e !== "chat.started" && e !== "file.refused"))
      fireEvent.click(screen.getByRole("checkbox", { name: event }));
    fireEvent.click(screen.getByRole("button", { name: "Add endpoint" }));
    await screen.findByLabelText(/^Signing secret/);
    expect(sent.events).toEqual(["chat.started", "file.refused"]);
  });

  it("shows the server's refusal of the URL beside the field", async () => {
    const why = "Use an https:// address on the public internet: 10.0.0.5 is a private address.";
    server.use(
      http.post(url("/webhooks"), () =>
        HttpResponse.json(apiError("invalid", `url: ${why}`, { url: why }), { status: 400 }),
      ),
    );
    renderPage([]);
    fireEvent.input(await screen.findByLabelText("URL"), { target: { value: "https://10.0.0.5/hook" } });
    fireEvent.click(screen.getByRole("button", { name: "Add endpoint" }));
    const error = await screen.findByText(why);
    const field = screen.getByLabelText("URL");
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(field.getAttribute("aria-describedby")).toContain(error.id);
    expect(screen.queryByLabelText(/^Signing secret/)).toBeNull();
  });

  it("asks for an event before sending when none is ticked, and shows the server's word on events beside them", async () => {
    server.use(
      http.post(url("/webhooks"), () =>
        HttpResponse.json(apiError("invalid", "events: bad", { events: "Choose events Hatch sends." }), {
          status: 400,
        }),
      ),
    );
    renderPage([]);
    fireEvent.input(await screen.findByLabelText("URL"), { target: { value: "https://hooks.example.com/hatch" } });
    for (const event of WEBHOOK_EVENTS) fireEvent.click(screen.getByRole("checkbox", { name: event }));
    fireEvent.click(screen.getByRole("button", { name: "Add endpoint" }));
    expect(await screen.findByText("Tick at least one event to send.")).toBeTruthy();
    expect(seen.filter((line) => line.startsWith("POST"))).toEqual([]);

    fireEvent.click(screen.getByRole("checkbox", { name: "chat.closed" }));
    fireEvent.click(screen.getByRole("button", { name: "Add endpoint" }));
    const error = await screen.findByText("Choose events Hatch sends.");
    expect(screen.getByRole("group", { name: "Events to send" }).getAttribute("aria-describedby")).toBe(error.id);
  });

  it("shows a refusal that belongs to no field as a notice", async () => {
    server.use(
      http.post(url("/webhooks"), () =>
        HttpResponse.json(apiError("too_many", "An account has at most 10 endpoints."), { status: 409 }),
      ),
    );
    renderPage([]);
    fireEvent.input(await screen.findByLabelText("URL"), { target: { value: "https://hooks.example.com/hatch" } });
    fireEvent.click(screen.getByRole("button", { name: "Add endpoint" }));
    expect((await screen.findByRole("alert")).textContent).toBe("An account has at most 10 endpoints.");
  });
});

describe("an endpoint", () => {
  it("lists its URL, events and status", async () => {
    renderPage([endpoint(), endpoint({ id: "wh_2", url: "https://b.example.com/x", events: ["rule.changed"] })]);
    const first = await item("https://hooks.example.com/hatch");
    expect(first.textContent).toContain("All events");
    expect(first.textContent).toContain("Active");
    const second = await item("https://b.example.com/x");
    expect(second.textContent).toContain("Events: rule.changed");
  });

  it("sends a test event and shows its delivery", async () => {
    let deliveries = [delivery()];
    server.use(
      http.get(url("/webhooks/wh_1/deliveries"), () => HttpResponse.json({ deliveries })),
      http.post(url("/webhooks/wh_1/test"), () => {
        const queued = delivery({ id: 2, eventId: "msg_2", type: "test", status: "pending", attempts: 0 });
        deliveries = [queued, ...deliveries];
        return HttpResponse.json({ delivery: queued }, { status: 202 });
      }),
    );
    renderPage();
    const hook = await item("https://hooks.example.com/hatch");
    const toggle = within(hook).getByRole("button", { name: "Deliveries" });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    await within(hook).findByText("chat.started");
    fireEvent.click(within(hook).getByRole("button", { name: "Send a test event" }));
    expect(await within(hook).findByText(/A test event is on its way/)).toBeTruthy();
    expect(seen).toContain("POST /api/v1/console/webhooks/wh_1/test");
    const rows = within(hook).getAllByRole("row").slice(1);
    expect(rows.map((row) => row.querySelector("code")?.textContent)).toEqual(["test", "chat.started"]);
    expect(rows[0]!.textContent).toContain("Pending");
  });

  it("lists the last deliveries, and redelivers a failed one", async () => {
    const failed = delivery({ id: 7, type: "chat.message", status: "failed", attempts: 12, lastError: "HTTP 500" });
    server.use(
      http.get(url("/webhooks/wh_1/deliveries"), () => HttpResponse.json({ deliveries: [failed, delivery()] })),
      http.post(url("/webhooks/wh_1/deliveries/7/redeliver"), () =>
        HttpResponse.json(
          { delivery: { ...failed, status: "pending", nextAt: "2026-01-01T12:00:00.000Z" } },
          { status: 202 },
        ),
      ),
    );
    renderPage();
    const hook = await item("https://hooks.example.com/hatch");
    fireEvent.click(within(hook).getByRole("button", { name: "Deliveries" }));
    const cell = await within(hook).findByText("HTTP 500");
    const row = cell.closest("tr") as HTMLElement;
    expect(cell.getAttribute("data-label")).toBe("Last error");
    expect(row.textContent).toContain("Failed");
    expect(row.textContent).toContain("12");
    // Only the failed one offers a redelivery.
    expect(within(hook).getAllByRole("button", { name: /^Redeliver/ })).toHaveLength(1);
    fireEvent.click(within(row).getByRole("button", { name: /^Redeliver chat.message/ }));
    expect(await within(hook).findByText(/Sent again, with the same event id/)).toBeTruthy();
    expect(seen).toContain("POST /api/v1/console/webhooks/wh_1/deliveries/7/redeliver");
    await waitFor(() => expect(row.textContent).toContain("Pending, next try"));
    expect(within(hook).getAllByRole("row")).toHaveLength(3);
    expect(within(hook).queryByRole("button", { name: /^Redeliver/ })).toBeNull();
  });

  it("says so when there are no deliveries yet, and when they cannot be read", async () => {
    let fail = false;
    server.use(
      http.get(url("/webhooks/wh_1/deliveries"), () =>
        fail
          ? HttpResponse.json(apiError("unavailable", "Deliveries cannot be read right now."), { status: 503 })
          : HttpResponse.json({ deliveries: [] }),
      ),
    );
    renderPage();
    const hook = await item("https://hooks.example.com/hatch");
    const toggle = within(hook).getByRole("button", { name: "Deliveries" });
    fireEvent.click(toggle);
    expect(await within(hook).findByText(/Nothing sent yet/)).toBeTruthy();
    fireEvent.click(toggle);
    expect(within(hook).queryByText(/Nothing sent yet/)).toBeNull();
    fail = true;
    fireEvent.click(toggle);
    expect(await within(hook).findByText("Deliveries cannot be read right now.")).toBeTruthy();
  });

  it("is removed only once confirmed, and leaves the list", async () => {
    server.use(http.delete(url("/webhooks/wh_1"), () => new HttpResponse(null, { status: 204 })));
    renderPage();
    const hook = await item("https://hooks.example.com/hatch");
    fireEvent.click(within(hook).getByRole("button", { name: "Remove…" }));
    expect(within(hook).getByText(/Nothing more is sent to it/)).toBeTruthy();
    fireEvent.click(within(hook).getByRole("button", { name: "Keep" }));
    expect(seen.filter((line) => line.startsWith("DELETE"))).toEqual([]);
    fireEvent.click(within(hook).getByRole("button", { name: "Remove…" }));
    fireEvent.click(within(hook).getByRole("button", { name: "Remove this endpoint" }));
    await waitFor(() => expect(screen.queryByText("https://hooks.example.com/hatch")).toBeNull());
    expect(seen).toContain("DELETE /api/v1/console/webhooks/wh_1");
    expect(screen.getByText(/No endpoints yet/)).toBeTruthy();
  });

  it("says why a removal was refused, beside the endpoint", async () => {
    server.use(
      http.delete(url("/webhooks/wh_1"), () =>
        HttpResponse.json(apiError("unavailable", "Try again in a moment."), { status: 503 }),
      ),
    );
    renderPage();
    const hook = await item("https://hooks.example.com/hatch");
    fireEvent.click(within(hook).getByRole("button", { name: "Remove…" }));
    fireEvent.click(within(hook).getByRole("button", { name: "Remove this endpoint" }));
    expect((await within(hook).findByRole("alert")).textContent).toBe("Try again in a moment.");
    expect(screen.getByText("https://hooks.example.com/hatch")).toBeTruthy();
  });

  it("switched off after failing for a day, is switched on again", async () => {
    let sent: unknown;
    server.use(
      http.patch(url("/webhooks/wh_1"), async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json({ endpoint: endpoint() });
      }),
    );
    renderPage([endpoint({ disabledAt: "2026-01-02T10:00:00.000Z" })]);
    const hook = await item("https://hooks.example.com/hatch");
    expect(hook.textContent).toContain("Switched off after failing for a day");
    expect(hook.textContent).not.toContain("Active");
    fireEvent.click(within(hook).getByRole("button", { name: "Switch on" }));
    await waitFor(() => expect(hook.textContent).toContain("Active"));
    expect(sent).toEqual({ enabled: true });
    expect(within(hook).queryByRole("button", { name: "Switch on" })).toBeNull();
    expect(hook.textContent).not.toContain("Switched off after failing for a day");
  });

  it("says why the list cannot be read", async () => {
    server.use(
      http.get(url("/webhooks"), () =>
        HttpResponse.json(apiError("unavailable", "Endpoints cannot be read right now."), { status: 503 }),
      ),
    );
    render(<IntegrationsPage api={api} />);
    expect(await screen.findByText("Endpoints cannot be read right now.")).toBeTruthy();
  });
});

describe("the Integrations page in the console", () => {
  function renderApp(me: Me, start: Route) {
    server.use(
      http.get(url("/me"), () => HttpResponse.json(me)),
      http.get(url("/conversations"), () => HttpResponse.json({ conversations: [] })),
      http.get(url("/policy"), () => HttpResponse.json(policyDoc(), { headers: { etag: `"1"` } })),
      http.get(url("/presence"), () => HttpResponse.json({ status: "online" })),
      http.get(url("/webhooks"), () => HttpResponse.json({ endpoints: [endpoint()] })),
    );
    drawApp(start);
  }

  it("is in the owners' navigation and lists the endpoints", async () => {
    renderApp(owner, { page: "integrations" });
    const link = await screen.findByRole("link", { name: "Integrations" });
    expect(link.getAttribute("href")).toBe("#/integrations");
    expect(link.getAttribute("aria-current")).toBe("page");
    expect(await screen.findByRole("heading", { name: "Integrations", level: 1 })).toBeTruthy();
    expect(await screen.findByText("https://hooks.example.com/hatch")).toBeTruthy();
  });

  it("is absent for agents, and its address says it is for owners without asking for the endpoints", async () => {
    renderApp(agent, { page: "integrations" });
    expect(await screen.findByText(/Only an owner of the account can change the integrations/)).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Integrations" })).toBeNull();
    expect(screen.getByRole("link", { name: "Options" })).toBeTruthy();
    expect(seen.filter((line) => line.includes("/webhooks"))).toEqual([]);
  });
});
