// Links in visitors' words, found as people write them, each with the registrable host it goes to:
// what the console sets apart so an agent sees where a link leads before anyone opens it.
import { describe, expect, it } from "vitest";
import { findLinks } from "../../../server/screening/links";

describe("findLinks", () => {
  it.each([
    ["a full URL", "see https://shop.example.com/cart now", [[4, 33, "example.com"]]],
    ["a bare host", "go to paypal.com.account-check.info/login", [[6, 41, "account-check.info"]]],
    ["www without a scheme", "www.example.org", [[0, 15, "example.org"]]],
    ["an address", "http://203.0.113.9:8080/x", [[0, 25, "203.0.113.9"]]],
    ["a look-alike Unicode host, as its xn-- name", "https://pаypal.com/", [[0, 19, "xn--pypal-4ve.com"]]],
    [
      "two links",
      "a.com and https://b.co.uk/",
      [
        [0, 5, "a.com"],
        [10, 26, "b.co.uk"],
      ],
    ],
    ["a host with an ideographic dot", "paypal.com。evil.com/login", [[0, 25, "evil.com"]]],
    ["a host with a full-width dot", "go to evil．com", [[6, 14, "evil.com"]]],
    ["a host in full-width letters", "ｈｔｔｐｓ：／／ＥＶＩＬ．ＣＯＭ", [[0, 16, "evil.com"]]],
  ])("finds %s", (_name, text, links) => {
    expect(findLinks(text)).toEqual(links);
  });

  it.each([
    ["an email address", "write to me@example.com"],
    ["a file name", "report.pdf"],
    ["plain words", "hello, can you help?"],
    ["a version number", "version 1.2.3"],
    ["a Japanese sentence's full stop before a country code", "確認しました。TV を見ます"],
  ])("finds no link in %s", (_name, text) => {
    expect(findLinks(text)).toEqual([]);
  });
});
