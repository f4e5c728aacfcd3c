// Which requests server.ts answers as verdicts or tickets, ahead of the Hono app, and the pages it remembers.
import fc from "fast-check";
import { describe, expect, it, test } from "vitest";
import { parsePage } from "../../../policy/website";
import { parsedPage, queryParam, verdictRequest } from "../../../server/verdict/verdict-route";

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

describe("parsedPage", () => {
  // Remembered by the text before the query and fragment: it must say what parsing the whole text says.
  const tail = fc.constantFrom("", "?q=1", "?a=b#frag", "#x", "?#", "#?y=2", "?redirect=https://other.example/x?y#z");
  const text = fc.oneof(
    fc.tuple(fc.webUrl({ withQueryParameters: false, withFragments: false }), tail).map(([url, rest]) => url + rest),
    // Past the length the memo keeps: parsed each time, to the same answer.
    fc
      .tuple(fc.webUrl({ withQueryParameters: false, withFragments: false }), tail)
      .map(([url, rest]) => `${url}/${"long-path-segment/".repeat(40)}${rest}`),
    fc
      .tuple(
        fc.constantFrom(
          "https://user:pw@shop.example",
          "http://SHOP.example:80",
          "https://xn--bcher-kva.example",
          "https:shop.example",
          "file:///etc",
          "https://",
          "http://[::1]:8080",
          "https://shop.example\\\\a\\\\b",
          "https://user?x@host/",
          "not a url",
        ),
        fc.constantFrom("", "/a/./b/../c", "//x"),
        tail,
      )
      .map((parts) => parts.join("")),
  );

  it("parses as parsePage does, however often the same page comes back", () => {
    fc.assert(
      fc.property(text, (page) => {
        expect(parsedPage(page)).toEqual(parsePage(page));
        expect(parsedPage(page)).toEqual(parsePage(page));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("queryParam", () => {
  const value = fc.oneof(
    fc.string(),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.constantFrom("%", "%E0%A4%A", "a+b", "%2B", "=x=", "&"),
  );
  const pairs = fc.array(fc.tuple(fc.constantFrom("page", "visitor", "other", "pagex", "xpage"), value), {
    maxLength: 5,
  });

  it("reads the page and visitor as URLSearchParams reads them", () => {
    fc.assert(
      fc.property(pairs, fc.boolean(), (list, raw) => {
        // Encoded as a browser would, or raw as an attacker might send it.
        const query = raw ? list.map(([k, v]) => `${k}=${v}`).join("&") : new URLSearchParams(list).toString();
        for (const name of ["page", "visitor"])
          expect(queryParam(query, name)).toBe(new URLSearchParams(query).get(name));
      }),
      { numRuns: 3000 },
    );
  });
});
