// Which requests server.ts answers as verdicts or tickets, ahead of the Hono app.
import { describe, expect, test } from "vitest";
import { verdictRequest } from "../../server/verdict";

describe("verdictRequest", () => {
  test.each([
    ["/api/v1/widget/acme/verdict?page=https%3A%2F%2Fshop.example%2F", { account: "acme", ticket: false }],
    ["/api/v1/widget/acme/verdict", { account: "acme", ticket: false }],
    ["/api/v1/widget/acme/ticket?page=https%3A%2F%2Fshop.example%2F", { account: "acme", ticket: true }],
    ["/api/v1/widget/a%2Db/verdict?x", { account: "a-b", ticket: false }],
    ["/api/v1/widget/acme/verdicts", null],
    ["/api/v1/widget/acme/tickets", null],
    ["/api/v1/widget/acme/conversations", null],
    ["/api/v1/widget/acme/verdict/extra", null],
    ["/api/v1/widget/%E0%A4%A/verdict", null],
    ["/api/v1/console/verdict", null],
  ])("reads %s as %j", (url, request) => {
    expect(verdictRequest(url)).toEqual(request);
  });
});
