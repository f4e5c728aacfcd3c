// @vitest-environment happy-dom
import { signal } from "@preact/signals";
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { http, HttpResponse, type RequestHandler } from "msw";
import { describe, expect, it } from "vitest";
import { App } from "../../console/App";
import { createChime } from "../../console/chime";
import { createNotifier } from "../../console/notifier";
import type { Route } from "../../console/router";
import type { Me } from "../../console/types";
import { agent, api, apiError, fakeFeed, owner, policyDoc, server, url, useMockServer } from "./setup";
import { drawApp } from "./draw-app";

useMockServer();

function renderApp(me: Me | null, start: Route = { page: "chats", id: null }, ...overrides: RequestHandler[]) {
  server.use(
    http.get(url("/me"), () =>
      me ? HttpResponse.json(me) : HttpResponse.json(apiError("signed_out", "Sign in."), { status: 401 }),
    ),
    http.get(url("/conversations"), () => HttpResponse.json({ conversations: [] })),
    http.get(url("/policy"), () => HttpResponse.json(policyDoc(), { headers: { etag: `"1"` } })),
    http.get(url("/ip-rules"), () => HttpResponse.json({ rules: [] })),
    http.get(url("/users"), () =>
      HttpResponse.json({ users: [{ id: "user_1", email: "owner@acme.test", role: "owner" }] }),
    ),
    http.get(url("/presence"), () => HttpResponse.json({ status: "online" })),
  );
  // Added last, so they win over the defaults above.
  server.use(...overrides);
  return drawApp(start);
}

describe("console app", () => {
  it("shows a refused sign-in next to the field", async () => {
    server.use(
      http.post(url("/session"), () =>
        HttpResponse.json(
          apiError("invalid", "email: bad", { email: "Enter an email address like name@example.com." }),
          { status: 400 },
        ),
      ),
    );
    renderApp(null);
    fireEvent.input(await screen.findByLabelText("Account"), { target: { value: "acme" } });
    fireEvent.input(screen.getByLabelText("Email"), { target: { value: "owner@acme" } });
    fireEvent.input(screen.getByLabelText("Password"), { target: { value: "x" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Enter an email address like name@example.com.")).toBeTruthy();
  });

  it("creates the owner from the first-run link and opens the console on the snippet for their site", async () => {
    let sent: unknown;
    server.use(
      http.post(url("/setup"), async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(owner, { status: 201 });
      }),
    );
    renderApp(null, { page: "setup", token: "TOKEN" });
    fireEvent.input(await screen.findByLabelText("Account id"), { target: { value: "acme" } });
    fireEvent.input(screen.getByLabelText("Account name"), { target: { value: "Acme" } });
    fireEvent.input(screen.getByLabelText("Your email"), { target: { value: "owner@acme.test" } });
    fireEvent.input(screen.getByLabelText("Password"), { target: { value: "long enough pass" } });
    fireEvent.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByRole("heading", { name: "Put the chat on your site", level: 1 })).toBeTruthy();
    expect(screen.getByText(/data-account="acme"/).textContent).toBe(
      '<script async src="https://chat.example/loader.js" data-account="acme"></script>',
    );
    expect(screen.getByRole("button", { name: "Copy snippet" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Live Chat Window" })).toBeTruthy();
    expect(sent).toEqual({
      token: "TOKEN",
      account: "acme",
      name: "Acme",
      email: "owner@acme.test",
      password: "long enough pass",
    });
  });

  it("gives an agent no Live Chat Window and no team", async () => {
    renderApp(agent, { page: "window" });
    expect(await screen.findByText(/Only an owner of the account can change the Live Chat Window/)).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Live Chat Window" })).toBeNull();
    expect(screen.getByRole("link", { name: "Block Visitors" })).toBeTruthy();
  });

  it("lets an owner add an agent, showing a bad password next to its field", async () => {
    server.use(
      http.post(url("/users"), () =>
        HttpResponse.json(apiError("invalid", "password: short", { password: "Use at least 10 characters." }), {
          status: 400,
        }),
      ),
    );
    renderApp(owner, { page: "options" });
    fireEvent.input(await screen.findByLabelText("Email"), { target: { value: "ana@acme.test" } });
    fireEvent.input(screen.getByLabelText("Password"), { target: { value: "short" } });
    fireEvent.click(screen.getByRole("button", { name: "Add user" }));
    expect(await screen.findByText("Use at least 10 characters.")).toBeTruthy();
  });

  it("refuses an email with a hidden character beside its field, without sending it", async () => {
    let posted = false;
    server.use(
      http.post(url("/users"), () => {
        posted = true;
        return HttpResponse.json({ id: "user_9", email: "x", role: "agent" }, { status: 201 });
      }),
    );
    renderApp(owner, { page: "options" });
    fireEvent.input(await screen.findByLabelText("Email"), { target: { value: "ana\u202E@acme.test" } });
    fireEvent.input(screen.getByLabelText("Password"), { target: { value: "a long password" } });
    fireEvent.click(screen.getByRole("button", { name: "Add user" }));
    expect(await screen.findByText(/An email address cannot hold U\+202E/)).toBeTruthy();
    expect(posted).toBe(false);
  });

  it("stores the image preview default", async () => {
    let sent: unknown;
    server.use(
      http.patch(url("/me/options"), async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(sent as object);
      }),
    );
    renderApp(agent, { page: "options" });
    const box = (await screen.findByLabelText(/Show images visitors send/)) as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(screen.queryByText("Team")).toBeNull();
    fireEvent.click(box);
    await waitFor(() => expect(sent).toEqual({ imagePreviews: true }));
  });

  it("counts waiting requests in the tab title", async () => {
    renderApp(
      agent,
      { page: "chats", id: null },
      http.get(url("/conversations"), ({ request }) =>
        HttpResponse.json({
          conversations:
            new URL(request.url).searchParams.get("status") === "pending"
              ? [
                  {
                    id: "conv_1",
                    status: "pending",
                    visitorIp: "203.0.113.7",
                    visitorCountry: null,
                    page: "https://example.com/",
                    agentUserId: null,
                    createdAt: "2026-01-01T10:00:00Z",
                    acceptedAt: null,
                    closedAt: null,
                    closedReason: null,
                    lastMessage: null,
                  },
                ]
              : [],
        }),
      ),
    );
    expect(await screen.findByText("203.0.113.7")).toBeTruthy();
    await waitFor(() => expect(document.title).toBe("(1) Hatch console"));
  });

  it("announces an automatic ban with its reason and a link to the chat, until dismissed", async () => {
    server.use(
      http.get(url("/me"), () => HttpResponse.json(agent)),
      http.get(url("/conversations"), () => HttpResponse.json({ conversations: [] })),
      http.get(url("/policy"), () => HttpResponse.json(policyDoc(), { headers: { etag: `"1"` } })),
      http.get(url("/presence"), () => HttpResponse.json({ status: "online" })),
    );
    const feed = fakeFeed();
    render(
      <App
        api={api}
        route={signal<Route>({ page: "chats", id: null })}
        go={() => {}}
        openEvents={feed.open}
        notifier={createNotifier(document, undefined)}
        chime={createChime(document, undefined)}
        origin="https://chat.example"
        storage={localStorage}
      />,
    );
    await waitFor(() => expect(feed.listening("protection")).toBe(true));
    const message = "Hatch banned a visitor for 60 minutes: they opened 7 chats in 40 minutes.";
    await feed.send("protection", { message, rules: [], conversationId: "conv_7" });
    const notice = (await screen.findByText(message, { exact: false })).closest("[role=status]");
    expect(notice?.textContent).toContain(message);
    expect(screen.getByRole("link", { name: "Open the chat" }).getAttribute("href")).toBe("#/chats/conv_7");
    fireEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    await waitFor(() => expect(screen.queryByText(message, { exact: false })).toBeNull());
    expect(screen.queryByRole("link", { name: "Open the chat" })).toBeNull();
  });
});
