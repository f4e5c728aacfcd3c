// Visitor tickets: what is signed verifies, anything changed or expired does not.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTickets, TICKET_MS } from "../../../server/auth/tickets";

const claims = {
  account: "acme",
  visitor: "v_abcdefghijklmnop",
  ip: "203.0.113.7",
  origin: "https://shop.example",
  page: "https://shop.example/a%0Ab",
};
const NOW = Date.parse("2026-11-24T12:00:00Z");

describe("tickets", () => {
  const tickets = createTickets(randomBytes(32));

  it("gives back the claims it signed, with the expiry", () => {
    expect(tickets.verify(tickets.issue(claims, NOW), NOW + 1)).toEqual({ ...claims, exp: NOW + TICKET_MS });
  });

  it("refuses a ticket once it has expired", () => {
    expect(tickets.verify(tickets.issue(claims, NOW), NOW + TICKET_MS)).toBeNull();
  });

  it("refuses a ticket signed with another secret", () => {
    expect(tickets.verify(createTickets(randomBytes(32)).issue(claims, NOW), NOW)).toBeNull();
  });

  it("refuses a changed claim under the original signature", () => {
    const [payload, signature] = tickets.issue(claims, NOW).split(".");
    const changed = Buffer.from(payload!, "base64url").toString().replace("203.0.113.7", "203.0.113.8");
    expect(tickets.verify(`${Buffer.from(changed).toString("base64url")}.${signature}`, NOW)).toBeNull();
  });

  it("refuses a payload with a character outside base64url that reads as the same bytes", () => {
    const [payload, signature] = tickets.issue(claims, NOW).split(".");
    // U+0141 is 0x41 ("A") in latin1: the signature would still match if the payload were not checked.
    const lookalike = payload!.replace("A", "\u0141");
    expect(lookalike).not.toBe(payload);
    expect(tickets.verify(`${lookalike}.${signature}`, NOW)).toBeNull();
  });

  it("never verifies a ticket whose claim held a line break", () => {
    expect(tickets.verify(tickets.issue({ ...claims, page: "https://shop.example/a\nb" }, NOW), NOW)).toBeNull();
  });

  it.each([["garbage"], ["a.b.c"], [""], ["x".repeat(9000)]])("refuses the malformed ticket %#", (ticket) => {
    expect(tickets.verify(ticket, NOW)).toBeNull();
  });
});
