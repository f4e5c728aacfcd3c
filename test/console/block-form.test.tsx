// @vitest-environment happy-dom
// The block form of a chat laid out as choices: what each scope hides, named and explained, stacked.
import { fireEvent, render, screen, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { BlockVisitorForm } from "../../console/BlockVisitorForm";
import { createConversationModel } from "../../console/models/conversation-model";
import { api, useMockServer } from "./setup";

useMockServer();

const TELEKOM = { asn: 3320, name: "Deutsche Telekom AG" };

function renderForm(ip: string) {
  render(<BlockVisitorForm chat={createConversationModel(api, "conv_1")} ip={ip} visitorAs={TELEKOM} />);
  return screen.getByRole("group", { name: "What to block" });
}

describe("block form", () => {
  it("offers each scope as a choice: a box holding the checkbox, its name in bold and a line on whom it hides", () => {
    const group = renderForm("203.0.113.7");
    expect(group.tagName).toBe("FIELDSET");
    const choices = within(group).getAllByRole("checkbox");
    expect(
      choices.map((box) => {
        const label = box.closest("label.choice")!;
        return [label.querySelector("strong")?.textContent, label.querySelector(".choice-detail")?.textContent];
      }),
    ).toEqual([
      ["This visitor", "This browser, whatever address it comes from next"],
      ["This address, 203.0.113.7", "And anyone else using it, such as a household, an office or a mobile network"],
      [
        "Their network 203.0.113.0/24",
        "All 256 addresses around it: the next address over they may get, and their neighbours",
      ],
      [
        "Their provider AS3320 Deutsche Telekom AG",
        "Every customer of this provider, often millions of people: for the worst cases only",
      ],
    ]);
    // Each checkbox is named by both lines, as a screen reader reads the choice.
    expect(
      within(group).getByRole("checkbox", {
        name: "This visitor This browser, whatever address it comes from next",
      }),
    ).toBe(choices[0]);
  });

  it("ticks a choice from anywhere in its box", () => {
    renderForm("203.0.113.7");
    const network = screen.getByRole("checkbox", { name: /^Their network/ }) as HTMLInputElement;
    expect(network.checked).toBe(false);
    fireEvent.click(screen.getByText(/All 256 addresses around it/));
    expect(network.checked).toBe(true);
  });

  it("says an IPv6 visitor's network is their /64", () => {
    renderForm("2001:db8:1:2::7");
    expect(screen.getByText("Their network 2001:db8:1:2::/64").closest("label")?.textContent).toContain(
      "usually one home or phone, however often its address changes",
    );
  });
});
