// @vitest-environment happy-dom
import { screen } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { renderChat } from "./chats-page";
import { conversation, useMockServer } from "./setup";

useMockServer();

/** The chat's header, once its visitor id shows. */
async function header() {
  return (await screen.findByText(/Visitor id v_1/)).closest(".toolbar") as HTMLElement;
}

/** Each line of what the visitor told before the chat, as "label: value". */
const intakeOf = (element: HTMLElement) =>
  [...element.querySelectorAll(".visitor-intake > div")].map(
    (row) => `${row.querySelector("dt")?.textContent}: ${row.querySelector("dd")?.textContent}`,
  );

describe("what the visitor told before the chat", () => {
  it("shows the privacy notice's version the visitor agreed to, and when", async () => {
    const at = "2026-12-01T09:30:00.000Z";
    renderChat({ chat: conversation({ consent: { version: 3, at } }) });
    expect(intakeOf(await header())).toEqual([
      `Privacy notice: Agreed to version 3 on ${new Date(at).toLocaleString()}`,
    ]);
  });

  it("shows their name, their email to write to and each answer beside the chat", async () => {
    const chat = conversation({
      visitorName: "Ada Lovelace",
      visitorEmail: "ada@example.com",
      answers: [
        { label: "Topic", value: "Billing" },
        { label: "Order number", value: "A-1042" },
      ],
    });
    renderChat({ chat });
    const shown = await header();
    expect(intakeOf(shown)).toEqual([
      "Name: Ada Lovelace",
      "Email: ada@example.com",
      "Topic: Billing",
      "Order number: A-1042",
    ]);
    expect(shown.querySelector("dl.visitor-intake")).not.toBeNull();
    expect(screen.getByRole("link", { name: "ada@example.com" }).getAttribute("href")).toBe("mailto:ada@example.com");
  });

  it("shows no list when the visitor told nothing, as in a chat from before the form", async () => {
    renderChat({ chat: conversation() });
    const shown = await header();
    expect(shown.querySelector(".visitor-intake")).toBeNull();
    expect(shown.textContent).not.toContain("Name");
  });

  it("says to answer an offline message by email when the visitor left an address", async () => {
    renderChat({ chat: conversation({ offline: true, visitorEmail: "ada@example.com" }) });
    const shown = await header();
    expect(shown.querySelector(".offline-note")?.textContent).toBe(
      "Offline message Written while no agent was online. Left an address for the answer: they are not on the page, so answer by email.",
    );
    expect(screen.getByRole("link", { name: "ada@example.com" }).getAttribute("href")).toBe("mailto:ada@example.com");
  });

  it("says Hatch mails the answer, rather than to answer by email, when the server sends mail", async () => {
    renderChat({ chat: conversation({ offline: true, visitorEmail: "ada@example.com" }), mailsAnswers: true });
    const shown = await header();
    expect(shown.querySelector(".offline-note")?.textContent).toBe(
      "Offline message Written while no agent was online. Left an address for the answer: answer here, and Hatch mails your answer to them.",
    );
  });

  it("says the visitor reads the answer on a later visit when they left no address", async () => {
    renderChat({ chat: conversation({ offline: true }) });
    const shown = await header();
    expect(shown.querySelector(".offline-note")?.textContent).toContain("reads your answer on their next visit");
    expect(shown.querySelector(".visitor-intake")).toBeNull();
    expect(screen.queryByRole("link", { name: /@/ })).toBeNull();
  });

  it("names the visitor in the chat list when they gave a name, beside their address", async () => {
    const named = conversation({ status: "pending", visitorName: "Ada Lovelace" });
    const anonymous = conversation({ id: "conv_2", status: "pending", visitorIp: "192.0.2.9" });
    const { container } = renderChat({ listed: [named, anonymous] });
    await screen.findByText("192.0.2.9");
    const items = [...container.querySelectorAll(".chat-list li strong")].map((strong) => strong.textContent);
    expect(items).toEqual(["Ada Lovelace", "192.0.2.9"]);
    const first = container.querySelector(".chat-list li")?.textContent;
    expect(first).toContain("Ada Lovelace 203.0.113.7");
  });
});
