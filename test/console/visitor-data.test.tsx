// @vitest-environment happy-dom
// An owner's answers to a visitor's data request from their chat: the export's link, and erasure
// confirmed first, after which the chat is left; agents see neither. A chat erased elsewhere leaves
// the lists and the open view of every console.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { VisitorLookup } from "../../console/VisitorLookup";
import { renderChat } from "./chats-page";
import { api, apiError, conversation, server, url, useMockServer } from "./setup";

useMockServer();

const VISITOR = "v_AbCdEfGh12345678";

describe("a visitor's data, from their chat", () => {
  it("is exported by a link and erased once confirmed, by an owner, who is then shown the lists", async () => {
    const erased: string[] = [];
    server.use(
      http.delete(url("/visitors/:id"), ({ params }) => {
        erased.push(String(params.id));
        return HttpResponse.json({ chats: 2, messages: 5, files: 1 });
      }),
    );
    const { closed } = renderChat({ chat: conversation({ visitorId: VISITOR }), isOwner: true });
    const link = (await screen.findByRole("link", { name: "Export this visitor's data" })) as HTMLAnchorElement;
    expect(new URL(link.href).pathname).toBe(`/api/v1/console/visitors/${VISITOR}/export`);
    expect(link.hasAttribute("download")).toBe(true);

    fireEvent.click(screen.getByRole("button", { name: "Erase this visitor's data…" }));
    expect(screen.getByText(/This cannot be undone: export first/)).toBeTruthy();
    expect(erased).toEqual([]);
    fireEvent.click(screen.getByRole("button", { name: "Keep" }));
    expect(screen.queryByRole("button", { name: "Erase for good" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Erase this visitor's data…" }));
    fireEvent.click(screen.getByRole("button", { name: "Erase for good" }));
    await waitFor(() => expect(closed).toEqual(["closed"]));
    expect(erased).toEqual([VISITOR]);
  });

  it("is not offered to agents", async () => {
    renderChat({ chat: conversation({ visitorId: VISITOR }) });
    await screen.findByText(`Visitor id ${VISITOR}`);
    expect(screen.queryByRole("link", { name: "Export this visitor's data" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Erase this visitor's data…" })).toBeNull();
  });

  it("leaves the lists and the open view of a console when erased elsewhere", async () => {
    const open = conversation({ visitorId: VISITOR });
    const { feed } = renderChat({ chat: open, listed: [open] });
    const lists = await screen.findByRole("navigation", { name: "Chats" });
    await waitFor(() => expect(lists.querySelectorAll("li")).toHaveLength(1));
    await feed.send("erased", { conversationIds: [open.id] });
    expect(lists.querySelectorAll("li")).toHaveLength(0);
    expect(screen.getByText("This chat was erased with everything else of its visitor.")).toBeTruthy();
    expect(screen.queryByRole("region", { name: "Chat" })).toBeNull();
  });
});

describe("a visitor's data, by their id in Options", () => {
  it("is offered once the id is one, refused beside the field otherwise, and says what went", async () => {
    const erased: string[] = [];
    server.use(
      http.delete(url("/visitors/:id"), ({ params }) => {
        erased.push(String(params.id));
        return HttpResponse.json({ chats: 1, messages: 3, files: 0 });
      }),
    );
    render(<VisitorLookup api={api} />);
    const field = screen.getByLabelText("Visitor id");
    fireEvent.input(field, { target: { value: "v_short" } });
    expect(screen.getByText(/A visitor id is v_ and 16 letters/)).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Export this visitor's data" })).toBeNull();
    fireEvent.input(field, { target: { value: ` ${VISITOR} ` } });
    const link = (await screen.findByRole("link", { name: "Export this visitor's data" })) as HTMLAnchorElement;
    expect(new URL(link.href).pathname).toBe(`/api/v1/console/visitors/${VISITOR}/export`);
    fireEvent.click(screen.getByRole("button", { name: "Erase this visitor's data…" }));
    fireEvent.click(screen.getByRole("button", { name: "Erase for good" }));
    expect(await screen.findByText(`Erased every chat, message and file of ${VISITOR}.`)).toBeTruthy();
    expect(erased).toEqual([VISITOR]);
  });

  it("says so when nothing of that visitor is kept", async () => {
    server.use(
      http.delete(url("/visitors/:id"), () =>
        HttpResponse.json(apiError("not_found", "No chat of that visitor is kept: nothing to erase."), { status: 404 }),
      ),
    );
    render(<VisitorLookup api={api} />);
    fireEvent.input(screen.getByLabelText("Visitor id"), { target: { value: VISITOR } });
    fireEvent.click(await screen.findByRole("button", { name: "Erase this visitor's data…" }));
    fireEvent.click(screen.getByRole("button", { name: "Erase for good" }));
    expect(await screen.findByText("No chat of that visitor is kept: nothing to erase.")).toBeTruthy();
  });
});
