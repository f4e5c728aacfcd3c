// Which requests server.ts answers as verdicts, ahead of the Hono app.
import { describe, expect, test } from "vitest";
import { verdictAccount } from "../../server/verdict";

describe("verdictAccount", () => {
  test.each([
    ["/api/v1/widget/acme/verdict?page=https%3A%2F%2Fshop.example%2F", "acme"],
    ["/api/v1/widget/acme/verdict", "acme"],
    ["/api/v1/widget/a%2Db/verdict?x", "a-b"],
    ["/api/v1/widget/acme/verdicts", null],
    ["/api/v1/widget/acme/conversations", null],
    ["/api/v1/widget/acme/verdict/extra", null],
    ["/api/v1/widget/%E0%A4%A/verdict", null],
    ["/api/v1/console/verdict", null],
  ])("reads %s as %j", (url, account) => {
    expect(verdictAccount(url)).toBe(account);
  });
});
