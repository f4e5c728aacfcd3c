// Website patterns: the four forms, IDNA, paths on / boundaries, bad patterns, and a naive matcher as oracle.
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { MAX_PATTERN_CHARS } from "../../policy/limits";
import {
  parsePage,
  parseWebsitePattern,
  patternMatches,
  websitePatternSchema,
  type PageUrl,
  type WebsitePattern,
} from "../../policy/website";
import { compileWebsiteRules } from "../../policy/website-matcher";

function pattern(text: string): WebsitePattern {
  const parsed = parseWebsitePattern(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.pattern;
}

function page(href: string): PageUrl {
  const parsed = parsePage(href);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.page;
}

// The naive reading of the rules: every pattern, in list order.
function reference(allowed: readonly string[], blocked: readonly string[], target: PageUrl) {
  const first = (texts: readonly string[]) => texts.map(pattern).find((p) => patternMatches(p, target));
  const block = first(blocked);
  if (block) return { allowed: false, rule: block.text, reason: "blocked" };
  if (allowed.length === 0) return { allowed: true, rule: null, reason: "no_rules" };
  const allow = first(allowed);
  return allow
    ? { allowed: true, rule: allow.text, reason: "allowed" }
    : { allowed: false, rule: null, reason: "not_allowed" };
}

/** Upper-cases the characters of `text` where the (repeating) mask says so. */
const shout = (upper: readonly boolean[]) => (text: string) =>
  [...text].map((char, i) => (upper[i % upper.length] ? char.toUpperCase() : char)).join("");

describe("parseWebsitePattern", () => {
  test.each([
    ["example.com", "example.com", { scheme: null, host: "example.com", subdomains: false, port: null, path: "" }],
    ["  Example.COM  ", "example.com", { host: "example.com" }],
    ["example.com.", "example.com", { host: "example.com" }],
    ["example.com/", "example.com", { path: "" }],
    ["*.example.com", "*.example.com", { host: "example.com", subdomains: true }],
    ["*.co.uk", "*.co.uk", { host: "co.uk", subdomains: true }],
    ["example.com/support", "example.com/support", { path: "/support" }],
    ["example.com/support/", "example.com/support", { path: "/support" }],
    ["example.com//support//", "example.com/support", { path: "/support" }],
    ["example.com/a/../b", "example.com/b", { path: "/b" }],
    ["example.com/%63opy", "example.com/copy", { path: "/copy" }],
    ["example.com/a%2fb", "example.com/a%2Fb", { path: "/a%2Fb" }],
    ["example.com/Über", "example.com/%C3%9Cber", { path: "/%C3%9Cber" }],
    ["HTTPS://Example.com/Shop", "https://example.com/Shop", { scheme: "https", path: "/Shop" }],
    ["http://*.example.com", "http://*.example.com", { scheme: "http", subdomains: true }],
    ["example.com:8080", "example.com:8080", { port: "8080", scheme: null }],
    ["example.com:08080", "example.com:8080", { port: "8080" }],
    ["https://example.com:443", "https://example.com:443", { port: "443" }],
    ["http://localhost:5173", "http://localhost:5173", { host: "localhost", port: "5173" }],
    ["localhost:5173", "localhost:5173", { scheme: null, host: "localhost", port: "5173" }],
    ["Bücher.example", "xn--bcher-kva.example", { host: "xn--bcher-kva.example" }],
    ["*.BÜCHER.example/Über", "*.xn--bcher-kva.example/%C3%9Cber", { subdomains: true }],
    ["ＥＸＡＭＰＬＥ.com", "example.com", { host: "example.com" }],
    ["127.0.0.1", "127.0.0.1", { host: "127.0.0.1" }],
    ["[::1]", "[::1]", { host: "[::1]" }],
    ["http://[2001:DB8::1]:8080/x", "http://[2001:db8::1]:8080/x", { host: "[2001:db8::1]", port: "8080", path: "/x" }],
  ])("reads %j as the pattern %j", (input, text, fields) => {
    const parsed = parseWebsitePattern(input);
    expect(parsed).toMatchObject({ ok: true, pattern: { text, ...fields } });
  });

  test.each([
    ["", "pattern_empty", "Enter a website, e.g. example.com, *.example.com or https://example.com/support."],
    ["   ", "pattern_empty", "Enter a website, e.g. example.com, *.example.com or https://example.com/support."],
    ["example .com", "pattern_space", `"example .com" has a space in it: remove it (in a path, write a space as %20).`],
    [
      "example.com/a b",
      "pattern_space",
      `"example.com/a b" has a space in it: remove it (in a path, write a space as %20).`,
    ],
    ["example.com\\admin", "pattern_backslash", `"example.com\\admin" has a backslash: paths are written with "/".`],
    [
      "ex*ample.com",
      "pattern_wildcard",
      `"ex*ample.com" has "*" in the wrong place: "*." may only start a pattern, as in *.example.com (every subdomain of example.com).`,
    ],
    [
      "*example.com",
      "pattern_wildcard",
      `"*example.com" has "*" in the wrong place: "*." may only start a pattern, as in *.example.com (every subdomain of example.com).`,
    ],
    [
      "example.*",
      "pattern_wildcard",
      `"example.*" has "*" in the wrong place: "*." may only start a pattern, as in *.example.com (every subdomain of example.com).`,
    ],
    [
      "*.*.example.com",
      "pattern_wildcard",
      `"*.*.example.com" has "*" in the wrong place: "*." may only start a pattern, as in *.example.com (every subdomain of example.com).`,
    ],
    [
      "a.*.example.com",
      "pattern_wildcard",
      `"a.*.example.com" has "*" in the wrong place: "*." may only start a pattern, as in *.example.com (every subdomain of example.com).`,
    ],
    [
      "*",
      "pattern_wildcard_all",
      `"*" alone would match every site: leave the allowed list empty to allow every site.`,
    ],
    ["*.", "pattern_wildcard_empty", `"*." needs a domain after it, e.g. *.example.com.`],
    ["*.com", "pattern_wildcard_tld", `"*.com" would match every site under .com: name a domain, e.g. *.example.com.`],
    [
      "*.localhost",
      "pattern_wildcard_tld",
      `"*.localhost" would match every site under .localhost: name a domain, e.g. *.example.localhost.`,
    ],
    [
      "*.127.0.0.1",
      "pattern_wildcard_ip",
      `"*." can't go before an IP address: write the address alone, e.g. 127.0.0.1.`,
    ],
    ["*.[::1]", "pattern_wildcard_ip", `"*." can't go before an IP address: write the address alone, e.g. [::1].`],
    [
      "example.com/support/*",
      "pattern_wildcard_path",
      `"*" is not needed in a path: example.com/support already matches every page below it.`,
    ],
    [
      "https://*.example.com/a*",
      "pattern_wildcard_path",
      `"*" is not needed in a path: https://*.example.com/a already matches every page below it.`,
    ],
    [
      "ftp://files.example.com",
      "pattern_scheme",
      `"ftp:" is not a web page address: write a host (example.com), or an address starting with http:// or https://.`,
    ],
    [
      "file:///etc/passwd",
      "pattern_scheme",
      `"file:" is not a web page address: write a host (example.com), or an address starting with http:// or https://.`,
    ],
    [
      "javascript:alert(1)",
      "pattern_scheme",
      `"javascript:" is not a web page address: write a host (example.com), or an address starting with http:// or https://.`,
    ],
    [
      "data:text/html,hi",
      "pattern_scheme",
      `"data:" is not a web page address: write a host (example.com), or an address starting with http:// or https://.`,
    ],
    [
      "about:blank",
      "pattern_scheme",
      `"about:" is not a web page address: write a host (example.com), or an address starting with http:// or https://.`,
    ],
    ["http:example.com", "pattern_scheme_slashes", `Write "http://" with two slashes, e.g. http://example.com.`],
    ["https:/example.com", "pattern_scheme_slashes", `Write "https://" with two slashes, e.g. https://example.com.`],
    [
      "example.com/?a=1",
      "pattern_query",
      `"example.com/?a=1" has a query ("?a=1"): patterns ignore queries, so remove it.`,
    ],
    [
      "example.com?a=1#x",
      "pattern_query",
      `"example.com?a=1#x" has a query ("?a=1#x"): patterns ignore queries, so remove it.`,
    ],
    [
      "https://example.com/#top",
      "pattern_fragment",
      `"https://example.com/#top" has a fragment ("#top"): patterns ignore fragments, so remove it.`,
    ],
    [
      "user@example.com",
      "pattern_userinfo",
      `"user@example.com" has a user name ("user@"): patterns match hosts, so remove it.`,
    ],
    [
      "user:pw@example.com/x",
      "pattern_userinfo",
      `"user:pw@example.com/x" has a user name ("user:pw@"): patterns match hosts, so remove it.`,
    ],
    [
      "https://user@example.com",
      "pattern_userinfo",
      `"https://user@example.com" has a user name ("user@"): patterns match hosts, so remove it.`,
    ],
    [
      "https://",
      "pattern_no_host",
      `"https://" has no host: start with one, e.g. example.com or https://example.com/support.`,
    ],
    [
      "https:///example.com",
      "pattern_no_host",
      `"https:///example.com" has no host: start with one, e.g. example.com or https://example.com/support.`,
    ],
    [
      "/support",
      "pattern_no_host",
      `"/support" has no host: start with one, e.g. example.com or https://example.com/support.`,
    ],
    [
      ":8080",
      "pattern_no_host",
      `":8080" has no host: start with one, e.g. example.com or https://example.com/support.`,
    ],
    ["example.com:", "pattern_port", `"example.com:" has ":" but no port: add a port number or remove the ":".`],
    ["example.com:0", "pattern_port", `"0" is not a port: a port is a number from 1 to 65535.`],
    ["example.com:65536", "pattern_port", `"65536" is not a port: a port is a number from 1 to 65535.`],
    ["example.com:http", "pattern_port", `"http" is not a port: a port is a number from 1 to 65535.`],
    [
      "exa<mple.com",
      "pattern_host",
      `"exa<mple.com" is not a valid host name: use letters, digits, hyphens and dots, e.g. example.com.`,
    ],
    // A host every WHATWG parser refuses: the newer ones (Node 25+, Chromium) take a punycode label that
    // decodes to nothing, e.g. xn--zz, which Node 20's refused.
    [
      "exa^mple.com",
      "pattern_host",
      `"exa^mple.com" is not a valid host name: use letters, digits, hyphens and dots, e.g. example.com.`,
    ],
    [
      "example.123",
      "pattern_host",
      `"example.123" is not a valid host name: use letters, digits, hyphens and dots, e.g. example.com.`,
    ],
    [
      "[::1",
      "pattern_host",
      `"[::1" is not a valid IPv6 address: write it in brackets, e.g. [2001:db8::1] or [2001:db8::1]:8080.`,
    ],
    [
      "[::1]x",
      "pattern_host",
      `"[::1]x" is not a valid IPv6 address: write it in brackets, e.g. [2001:db8::1] or [2001:db8::1]:8080.`,
    ],
    ["fe80::1", "pattern_ipv6_brackets", "Put an IPv6 address in brackets: [fe80::1]."],
    ["2001:db8::1", "pattern_ipv6_brackets", "Put an IPv6 address in brackets: [2001:db8::1]."],
    [
      "010.0.0.1",
      "pattern_ip_form",
      `"010.0.0.1" is an ambiguous way to write an IPv4 address: browsers read it as 8.0.0.1, so write that.`,
    ],
    [
      "1.2.3",
      "pattern_ip_form",
      `"1.2.3" is an ambiguous way to write an IPv4 address: browsers read it as 1.2.0.3, so write that.`,
    ],
    [
      "0x7f.0.0.1",
      "pattern_ip_form",
      `"0x7f.0.0.1" is an ambiguous way to write an IPv4 address: browsers read it as 127.0.0.1, so write that.`,
    ],
    [
      "example..com",
      "pattern_host_label",
      `"example..com" has an empty part between dots: write it as, e.g., example.com.`,
    ],
    [
      "example.com..",
      "pattern_host_label",
      `"example.com.." has an empty part between dots: write it as, e.g., example.com.`,
    ],
    [
      `${"a".repeat(64)}.com`,
      "pattern_host_length",
      `A part of "${"a".repeat(64)}.com" between dots is longer than 63 characters, which no host name can be.`,
    ],
    [
      `${"abc.".repeat(64)}com`,
      "pattern_host_length",
      `The host in "${"abc.".repeat(64)}com" is 259 characters long: a host name is at most 253.`,
    ],
    [
      `example.com/${"a".repeat(2037)}`,
      "pattern_too_long",
      "This pattern is 2049 characters long: a pattern is at most 2048, a host and a path.",
    ],
  ])("rejects %j with %s and says how to fix it", (input, code, message) => {
    expect(parseWebsitePattern(input)).toEqual({ ok: false, code, message });
  });

  test("accepts a pattern of exactly MAX_PATTERN_CHARS", () => {
    const input = `example.com/${"a".repeat(MAX_PATTERN_CHARS - "example.com/".length)}`;
    expect(input.length).toBe(MAX_PATTERN_CHARS);
    expect(parseWebsitePattern(input).ok).toBe(true);
  });

  test("reads its own canonical text back as the same pattern", () => {
    const label = fc.constantFrom("a", "Shop", "example", "b-c", "bücher", "xn--bcher-kva");
    const input = fc.record({
      scheme: fc.constantFrom("", "http://", "HTTPS://"),
      wildcard: fc.boolean(),
      labels: fc.array(label, { minLength: 2, maxLength: 4 }),
      port: fc.constantFrom("", ":8080", ":443", ":0080"),
      path: fc.constantFrom("", "/", "/a", "/a/", "/Über", "/%7euser", "//a//b", "/a/./b/.."),
    });
    fc.assert(
      fc.property(input, ({ scheme, wildcard, labels, port, path }) => {
        const first = pattern(`${scheme}${wildcard ? "*." : ""}${labels.join(".")}${port}${path}`);
        expect(pattern(first.text)).toEqual(first);
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});

describe("websitePatternSchema", () => {
  test("accepts a valid pattern", () => {
    expect(websitePatternSchema.safeParse("*.example.com").success).toBe(true);
  });

  test.each([
    [
      "ex*ample.com",
      `"ex*ample.com" has "*" in the wrong place: "*." may only start a pattern, as in *.example.com (every subdomain of example.com).`,
    ],
    ["", "Enter a website, e.g. example.com, *.example.com or https://example.com/support."],
    [
      "a".repeat(MAX_PATTERN_CHARS + 1),
      `This pattern is ${MAX_PATTERN_CHARS + 1} characters long: a pattern is at most 2048, a host and a path.`,
    ],
  ])("reports the parser's message for %j as its only issue", (input, message) => {
    const result = websitePatternSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([message]);
  });
});

describe("parsePage", () => {
  test.each([
    [
      "https://user:pw@Example.COM./a/%7euser?x=1#y",
      { origin: "https://example.com.", scheme: "https", host: "example.com", port: "443", path: "/a/~user" },
    ],
    [
      "http://example.com",
      { origin: "http://example.com", scheme: "http", host: "example.com", port: "80", path: "/" },
    ],
    ["http://example.com:8080//a//b", { origin: "http://example.com:8080", port: "8080", path: "/a/b" }],
    ["https://example.com:443/", { origin: "https://example.com", port: "443" }],
    ["http://BÜCHER.example/Über", { host: "xn--bcher-kva.example", path: "/%C3%9Cber" }],
    ["http://[::1]:3000/x", { origin: "http://[::1]:3000", host: "[::1]", port: "3000", path: "/x" }],
  ])("reads %j", (href, fields) => {
    expect(parsePage(href)).toMatchObject({ ok: true, page: fields });
  });

  test.each([
    ["file:///home/me/index.html", "file:"],
    ["data:text/html,<p>hi</p>", "data:"],
    ["about:blank", "about:"],
    ["about:srcdoc", "about:"],
    ["javascript:alert(1)", "javascript:"],
    ["blob:https://example.com/0d5c", "blob:"],
    ["ftp://example.com/", "ftp:"],
    ["chrome-extension://abc/page.html", "chrome-extension:"],
  ])("never lets a %j page show the chat", (href, scheme) => {
    expect(parsePage(href)).toEqual({
      ok: false,
      code: "page_scheme",
      message: `Pages at "${scheme}" addresses can't show the chat: only http and https pages can.`,
    });
  });

  test.each([["not a url"], ["http://"], ["https://exa<mple.com/"]])(
    "refuses the malformed page address %j",
    (href) => {
      expect(parsePage(href)).toEqual({
        ok: false,
        code: "page_invalid",
        message: "The page address is not a valid URL.",
      });
    },
  );

  test("refuses an overlong page address", () => {
    expect(parsePage(`https://example.com/${"a".repeat(20_000)}`)).toMatchObject({ ok: false, code: "page_too_long" });
  });
});

describe("patternMatches", () => {
  test.each([
    ["a host pattern matches that host on any path", "example.com", "https://example.com/any/path", true],
    ["a host pattern matches http as well as https", "example.com", "http://example.com/", true],
    ["a host pattern matches any port", "example.com", "https://example.com:8443/", true],
    ["a host pattern does not match a subdomain", "example.com", "https://www.example.com/", false],
    ["a host pattern does not match a look-alike host", "example.com", "https://evil-example.com/", false],
    [
      "a host pattern does not match the host as a prefix of another",
      "example.com",
      "https://example.com.evil.net/",
      false,
    ],
    ["a wildcard matches a subdomain", "*.example.com", "https://www.example.com/", true],
    ["a wildcard matches a subdomain at any depth", "*.example.com", "https://a.b.c.example.com/", true],
    ["a wildcard does not match the apex", "*.example.com", "https://example.com/", false],
    ["a wildcard does not match a look-alike host", "*.example.com", "https://evilexample.com/", false],
    ["a path matches itself", "example.com/support", "https://example.com/support", true],
    ["a path matches itself with a trailing slash", "example.com/support", "https://example.com/support/", true],
    ["a path matches pages below it", "example.com/support", "https://example.com/support/faq/1", true],
    ["a path matches only on a / boundary", "example.com/support", "https://example.com/supportive", false],
    ["a path does not match its parent", "example.com/support/faq", "https://example.com/support", false],
    ["a path compares case-sensitively", "example.com/support", "https://example.com/Support", false],
    [
      "a path written with a trailing slash still matches the bare path",
      "example.com/support/",
      "https://example.com/support",
      true,
    ],
    ["a path cannot be dodged with an encoded letter", "example.com/copy", "https://example.com/%63opy", true],
    ["a path cannot be dodged with a doubled slash", "example.com/copy", "https://example.com//copy", true],
    ["a unicode path matches its percent-encoded form", "example.com/Über", "https://example.com/%C3%9Cber/x", true],
    ["a percent-encoded path matches the unicode form", "example.com/%c3%9cber", "https://example.com/Über", true],
    ["a fixed https scheme matches https", "https://example.com", "https://example.com/", true],
    ["a fixed https scheme does not match http", "https://example.com", "http://example.com/", false],
    ["a fixed http scheme does not match https", "http://example.com", "https://example.com/", false],
    ["a fixed port matches that port", "example.com:8080", "http://example.com:8080/", true],
    ["a fixed port does not match another port", "example.com:8080", "http://example.com:8081/", false],
    ["a fixed port does not match the default port", "example.com:8080", "http://example.com/", false],
    ["port 443 matches an https page on its default port", "example.com:443", "https://example.com/", true],
    ["port 80 does not match an https page on its default port", "example.com:80", "https://example.com/", false],
    ["an http localhost pattern matches the dev server", "http://localhost:5173", "http://localhost:5173/demo", true],
    ["hosts compare case-insensitively", "EXAMPLE.com", "https://example.COM/", true],
    ["a unicode pattern matches the punycode page", "Bücher.example", "https://xn--bcher-kva.example/", true],
    ["a punycode pattern matches the unicode page", "xn--bcher-kva.example", "https://BÜCHER.example/", true],
    ["a unicode wildcard matches a punycode subdomain", "*.bücher.example", "https://www.xn--bcher-kva.example/", true],
    ["a pattern matches the page host with a trailing dot", "example.com", "https://example.com./", true],
    ["a pattern with a trailing dot matches the page host", "example.com.", "https://example.com/", true],
    ["userinfo on the page is ignored", "example.com/a", "https://user:pw@example.com/a", true],
    ["a query on the page is ignored", "example.com/a", "https://example.com/a?b=/c", true],
    ["a fragment on the page is ignored", "example.com/a", "https://example.com/a#/b", true],
    [
      "a path in the query does not count as the page path",
      "example.com/admin",
      "https://example.com/?next=/admin",
      false,
    ],
    ["an IPv4 pattern matches that address", "127.0.0.1", "http://127.0.0.1:3000/", true],
    ["an IPv6 pattern matches that address", "[::1]", "http://[::1]:3000/", true],
    ["an IPv6 pattern compares in canonical form", "[2001:DB8:0::1]", "http://[2001:db8::1]/", true],
  ])("%s", (_sentence, patternText, href, expected) => {
    expect(patternMatches(pattern(patternText), page(href))).toBe(expected);
  });
});

describe("compileWebsiteRules", () => {
  test.each([
    [
      "allows every page when there are no rules",
      [],
      [],
      "https://anything.test/",
      { allowed: true, rule: null, reason: "no_rules" },
    ],
    [
      "allows every page not blocked when the allowed list is empty",
      [],
      ["example.com/copy"],
      "https://example.com/",
      { allowed: true, rule: null, reason: "no_rules" },
    ],
    [
      "hides a blocked page when the allowed list is empty",
      [],
      ["example.com/copy"],
      "https://example.com/copy/x",
      { allowed: false, rule: "example.com/copy", reason: "blocked" },
    ],
    [
      "allows a page an allowed pattern matches",
      ["*.example.com"],
      [],
      "https://www.example.com/",
      { allowed: true, rule: "*.example.com", reason: "allowed" },
    ],
    [
      "hides a page no allowed pattern matches",
      ["*.example.com"],
      [],
      "https://example.com/",
      { allowed: false, rule: null, reason: "not_allowed" },
    ],
    [
      "lets blocked beat allowed",
      ["example.com"],
      ["example.com/copy"],
      "https://example.com/copy",
      { allowed: false, rule: "example.com/copy", reason: "blocked" },
    ],
    [
      "lets a blocked wildcard beat an allowed host",
      ["shop.example.com"],
      ["*.example.com"],
      "https://shop.example.com/",
      { allowed: false, rule: "*.example.com", reason: "blocked" },
    ],
    [
      "names the first matching pattern in list order",
      ["example.com/a", "example.com"],
      [],
      "https://example.com/a/b",
      { allowed: true, rule: "example.com/a", reason: "allowed" },
    ],
    [
      "names the first match in list order across exact and wildcard patterns",
      ["*.example.com", "www.example.com"],
      [],
      "https://www.example.com/",
      { allowed: true, rule: "*.example.com", reason: "allowed" },
    ],
    [
      "names a rule by its canonical text",
      ["  Bücher.Example/ "],
      [],
      "https://xn--bcher-kva.example/",
      { allowed: true, rule: "xn--bcher-kva.example", reason: "allowed" },
    ],
    [
      "checks the scheme, port and path of every pattern for the host",
      ["https://example.com:8443/a", "http://example.com/b"],
      [],
      "http://example.com:8443/a",
      { allowed: false, rule: null, reason: "not_allowed" },
    ],
  ])("%s", (_sentence, allowed, blocked, href, expected) => {
    expect(compileWebsiteRules(allowed, blocked).check(page(href))).toEqual(expected);
  });

  test("throws on an invalid pattern, naming it", () => {
    expect(() => compileWebsiteRules(["example.com", "ex*ample.com"], [])).toThrow(
      `Invalid website pattern "ex*ample.com": "ex*ample.com" has "*" in the wrong place`,
    );
    expect(() => compileWebsiteRules([], [""])).toThrow("Enter a website");
  });

  test("decides among 1,000 patterns on the same host and its parents", () => {
    const allowed = Array.from({ length: 1_000 }, (_, i) =>
      i % 2 === 0 ? `example.com/p${i}` : `*.s${i}.example.com`,
    );
    const matcher = compileWebsiteRules(allowed, []);
    expect(matcher.check(page("https://example.com/p998/x")).rule).toBe("example.com/p998");
    expect(matcher.check(page("https://a.b.s999.example.com/")).rule).toBe("*.s999.example.com");
    expect(matcher.check(page("https://example.com/p999")).reason).toBe("not_allowed");
  });

  const label = fc.constantFrom("a", "b", "www", "example", "com", "xn--bcher-kva");
  const path = fc.constantFrom("", "/", "/a", "/a/", "/a/b", "/ab", "/b/a", "//a");
  const patternParts = fc.record({
    scheme: fc.constantFrom("", "", "http://", "https://"),
    wildcard: fc.boolean(),
    labels: fc.array(label, { minLength: 1, maxLength: 3 }),
    port: fc.constantFrom("", "", ":80", ":443", ":8080"),
    path,
  });
  type PatternParts = typeof patternParts extends fc.Arbitrary<infer T> ? T : never;
  const buildPattern = (parts: PatternParts, hostCase: (host: string) => string = (host) => host) => {
    // A wildcard over a single label is rejected, so give it a parent domain.
    const host = parts.wildcard && parts.labels.length < 2 ? [...parts.labels, "com"] : parts.labels;
    return `${parts.scheme}${parts.wildcard ? "*." : ""}${hostCase(host.join("."))}${parts.port}${parts.path}`;
  };
  const pageHref = fc
    .record({
      scheme: fc.constantFrom("http://", "https://"),
      labels: fc.array(label, { minLength: 1, maxLength: 5 }),
      port: fc.constantFrom("", ":80", ":443", ":8080"),
      path,
      query: fc.constantFrom("", "?a=/b", "#/a"),
    })
    .map(({ scheme, labels, port, path: p, query }) => `${scheme}${labels.join(".")}${port}${p || "/"}${query}`);
  const rules = fc.array(
    patternParts.map((parts) => buildPattern(parts)),
    { maxLength: 12 },
  );

  test("decides exactly as checking every pattern in order does", () => {
    fc.assert(
      fc.property(rules, rules, fc.array(pageHref, { minLength: 1, maxLength: 8 }), (allowed, blocked, hrefs) => {
        const matcher = compileWebsiteRules(allowed, blocked);
        for (const href of hrefs) {
          const target = page(href);
          expect(matcher.check(target)).toEqual(reference(allowed, blocked, target));
        }
      }),
      { seed: 12, numRuns: 500 },
    );
  });

  test("compares hosts case-insensitively on both sides", () => {
    const mask = fc.array(fc.boolean(), { minLength: 1, maxLength: 40 });
    const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join("."));
    fc.assert(
      fc.property(
        fc.array(patternParts, { maxLength: 12 }),
        host,
        path,
        mask,
        mask,
        (parts, pageHost, p, patternCase, pageCase) => {
          const plain = compileWebsiteRules(
            parts.map((one) => buildPattern(one)),
            [],
          );
          const mixed = compileWebsiteRules(
            parts.map((one) => buildPattern(one, shout(patternCase))),
            [],
          );
          const expected = plain.check(page(`https://${pageHost}${p || "/"}`));
          expect(mixed.check(page(`https://${shout(pageCase)(pageHost)}${p || "/"}`))).toEqual(expected);
        },
      ),
      { seed: 13, numRuns: 300 },
    );
  });
});

describe("allowsOrigin, what CORS echoes", () => {
  test.each<[string, string[], string[], string, boolean]>([
    ["allows every origin with no rules", [], [], "https://anything.example", true],
    ["allows the origin of a path-limited pattern", ["example.com/support"], [], "https://example.com", true],
    ["allows a subdomain origin of a wildcard", ["*.example.com"], [], "https://shop.example.com", true],
    ["refuses an origin no allowed pattern covers", ["example.com"], [], "https://copy.example.net", false],
    [
      "refuses an origin a whole-host blocked pattern covers",
      [],
      ["copy.example.net"],
      "https://copy.example.net",
      false,
    ],
    [
      "allows an origin only a path-limited block covers",
      ["example.com"],
      ["example.com/copy"],
      "https://example.com",
      true,
    ],
    ["honours a fixed scheme", ["https://example.com"], [], "http://example.com", false],
    ["honours a fixed port", ["localhost:5173"], [], "http://localhost:5174", false],
  ])("%s", (_name, allowed, blocked, origin, expected) => {
    expect(compileWebsiteRules(allowed, blocked).allowsOrigin(page(`${origin}/`))).toBe(expected);
  });
});
