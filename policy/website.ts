// Website rules: parsing the owner's patterns strictly, reading the embedding page's URL, and whether
// one pattern covers a page. The rules compiled into a matcher are website-matcher.ts.
//
// Decisions (DESIGN.md "Website rules" is silent on these):
// - No port in a pattern means any port; a port fixes it, compared with the page's effective port
//   (`https://example.com/` is on 443, so `example.com:443` matches it).
// - A single trailing slash is dropped from a pattern's path: `example.com/support/` is the same
//   pattern as `example.com/support`, and `example.com/` the same as `example.com`.
// - Paths are the URL parser's pathname with RFC 3986 §6.2.2 normalisation on both sides
//   (percent-escapes upper-cased, unreserved characters decoded) and runs of `/` merged, so neither
//   `/%63opy` nor `//copy` dodges `/copy`. Beyond that, paths compare case-sensitively.
// - `*.` covers subdomains at any depth but never the apex, and must cover at least two labels
//   (`*.com` is rejected) and never an IP address. There is no public-suffix list: `*.co.uk` is accepted.
// - IPv4 hosts must be four decimal octets as the browser would show them (`010.0.0.1` is rejected,
//   the URL parser would read it as 8.0.0.1); IPv6 hosts are written and kept in brackets (`[::1]`).
// - Hosts are kept in punycode (`Bücher.example` is shown back as `xn--bcher-kva.example`).
// - When several patterns in one list match, the verdict names the first in the list's order.

import * as z from "zod/mini";
import { MAX_PAGE_CHARS, MAX_PATTERN_CHARS } from "./limits";

/** RFC 1035 §2.3.4: a domain name is at most 253 characters (255 octets on the wire), a label 63. */
const MAX_HOST_CHARS = 253;
const MAX_LABEL_CHARS = 63;
/** WHATWG URL "special scheme" default ports, for the page's effective port. */
const DEFAULT_PORTS = { http: "80", https: "443" } as const;

/** The slice of the WHATWG URL that this module needs; every runtime we target has `URL`. */
interface ParsedUrl {
  protocol: string;
  hostname: string;
  port: string;
  pathname: string;
  origin: string;
}
// Read from globalThis, not declared globally: a global `declare var URL` clashes with lib.dom's.
const WhatwgUrl = (globalThis as unknown as { URL: new (input: string) => ParsedUrl }).URL;

export interface WebsitePattern {
  /** The canonical form, shown back to the user: `https://*.xn--bcher-kva.example:8443/shop`. */
  text: string;
  /** Fixed scheme, or null for both http and https. */
  scheme: "http" | "https" | null;
  /** Punycode, lowercase, no trailing dot; IPv6 in brackets. For `*.` patterns, the parent domain. */
  host: string;
  /** True for `*.host`: strict subdomains at any depth, not the host itself. */
  subdomains: boolean;
  /** Fixed port as decimal digits, or null for any port. */
  port: string | null;
  /** "" for any path, else a normalised prefix such as `/support` with no trailing slash. */
  path: string;
}

export type PatternResult = { ok: true; pattern: WebsitePattern } | { ok: false; code: string; message: string };

/** An http(s) page, normalised like patterns are. `port` is the effective port, never "". */
export interface PageUrl {
  origin: string;
  scheme: "http" | "https";
  host: string;
  port: string;
  path: string;
}

export type PageResult = { ok: true; page: PageUrl } | { ok: false; code: string; message: string };

type Failure = { ok: false; code: string; message: string };
const fail = (code: string, message: string): Failure => ({ ok: false, code, message });

/**
 * Parses one pattern: `example.com`, `*.example.com`, `example.com/support`, `https://example.com:8443/x`.
 * @example parseWebsitePattern(" Bücher.example/Über ").pattern.text // "xn--bcher-kva.example/%C3%9Cber"
 */
export function parseWebsitePattern(input: string): PatternResult {
  if (input.length > MAX_PATTERN_CHARS) {
    return fail(
      "pattern_too_long",
      `This pattern is ${input.length} characters long: a pattern is at most ${MAX_PATTERN_CHARS}, a host and a path.`,
    );
  }
  const text = input.trim();
  if (text === "")
    return fail("pattern_empty", "Enter a website, e.g. example.com, *.example.com or https://example.com/support.");
  if (/\s/.test(text))
    return fail("pattern_space", `"${text}" has a space in it: remove it (in a path, write a space as %20).`);
  if (text.includes("\\")) return fail("pattern_backslash", `"${text}" has a backslash: paths are written with "/".`);

  const scheme = readScheme(text);
  if (!scheme.ok) return scheme;
  const rest = text.slice(scheme.length);
  const extra = rest.search(/[?#]/);
  if (extra >= 0) {
    const [kind, what] = rest[extra] === "?" ? ["query", "pattern_query"] : ["fragment", "pattern_fragment"];
    return fail(
      what,
      `"${text}" has a ${kind} ("${rest.slice(extra)}"): patterns ignore ${kind === "query" ? "queries" : "fragments"}, so remove it.`,
    );
  }
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const rawPath = slash < 0 ? "" : rest.slice(slash);
  if (authority.includes("@")) {
    return fail(
      "pattern_userinfo",
      `"${text}" has a user name ("${authority.slice(0, authority.lastIndexOf("@") + 1)}"): patterns match hosts, so remove it.`,
    );
  }

  const subdomains = authority.startsWith("*.");
  const hostPort = subdomains ? authority.slice(2) : authority;
  if (authority === "*")
    return fail(
      "pattern_wildcard_all",
      `"*" alone would match every site: leave the allowed list empty to allow every site.`,
    );
  if (hostPort.includes("*")) {
    return fail(
      "pattern_wildcard",
      `"${text}" has "*" in the wrong place: "*." may only start a pattern, as in *.example.com (every subdomain of example.com).`,
    );
  }
  if (rawPath.includes("*")) {
    const prefix = stripOneSlash(text.slice(0, text.length - rawPath.length) + rawPath.slice(0, rawPath.indexOf("*")));
    return fail("pattern_wildcard_path", `"*" is not needed in a path: ${prefix} already matches every page below it.`);
  }

  const split = splitHostPort(hostPort, text, subdomains);
  if (!split.ok) return split;
  const host = normaliseHost(split.host, text);
  if (!host.ok) return host;
  if (subdomains && host.ip)
    return fail(
      "pattern_wildcard_ip",
      `"*." can't go before an IP address: write the address alone, e.g. ${host.host}.`,
    );
  if (subdomains && !host.host.includes(".")) {
    return fail(
      "pattern_wildcard_tld",
      `"*.${host.host}" would match every site under .${host.host}: name a domain, e.g. *.example.${host.host}.`,
    );
  }
  const path = rawPath === "" ? "" : stripOneSlash(normalisePath(new WhatwgUrl(`http://h${rawPath}`).pathname));
  const canonical =
    (scheme.scheme ? `${scheme.scheme}://` : "") +
    (subdomains ? "*." : "") +
    host.host +
    (split.port ? `:${split.port}` : "") +
    path;
  return {
    ok: true,
    pattern: { text: canonical, scheme: scheme.scheme, host: host.host, subdomains, port: split.port, path },
  };
}

/** Reads a leading `http://` or `https://`; rejects every other scheme, and `https:` without `//`. */
function readScheme(text: string): { ok: true; scheme: "http" | "https" | null; length: number } | Failure {
  const full = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  // Without "//", `name:` is a scheme (`javascript:alert(1)`) unless it is a host and port
  // (`localhost:5173`, `example.com:x`), an IPv6 address missing its brackets (`fe80::1`) or
  // a user name and password (`user:pw@example.com`).
  const bare = full ? null : /^([a-z][a-z0-9+.-]*):(?!\d|$)/i.exec(text);
  const name = (full ?? bare)?.[1]?.toLowerCase();
  if (name === undefined || (bare && (name.includes(".") || /^[^/]*(?::[^/]*:|@)/.test(text)))) {
    return { ok: true, scheme: null, length: 0 };
  }
  if (name !== "http" && name !== "https") {
    return fail(
      "pattern_scheme",
      `"${name}:" is not a web page address: write a host (example.com), or an address starting with http:// or https://.`,
    );
  }
  if (!full) return fail("pattern_scheme_slashes", `Write "${name}://" with two slashes, e.g. ${name}://example.com.`);
  return { ok: true, scheme: name, length: full[0].length };
}

function splitHostPort(
  hostPort: string,
  text: string,
  subdomains: boolean,
): { ok: true; host: string; port: string | null } | Failure {
  let host = hostPort;
  let port: string | null = null;
  if (hostPort.startsWith("[")) {
    const close = hostPort.indexOf("]") + 1;
    const after = hostPort.slice(close);
    if (close === 0 || (after !== "" && !after.startsWith(":"))) {
      return fail(
        "pattern_host",
        `"${hostPort}" is not a valid IPv6 address: write it in brackets, e.g. [2001:db8::1] or [2001:db8::1]:8080.`,
      );
    }
    host = hostPort.slice(0, close);
    if (after !== "") port = after.slice(1);
  } else {
    const colon = hostPort.indexOf(":");
    if (colon !== hostPort.lastIndexOf(":"))
      return fail("pattern_ipv6_brackets", `Put an IPv6 address in brackets: [${hostPort}].`);
    if (colon >= 0) [host, port] = [hostPort.slice(0, colon), hostPort.slice(colon + 1)];
  }
  if (host === "") {
    return subdomains
      ? fail("pattern_wildcard_empty", `"*." needs a domain after it, e.g. *.example.com.`)
      : fail(
          "pattern_no_host",
          `"${text}" has no host: start with one, e.g. example.com or https://example.com/support.`,
        );
  }
  if (port === null) return { ok: true, host, port };
  if (port === "") return fail("pattern_port", `"${text}" has ":" but no port: add a port number or remove the ":".`);
  const number = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(number >= 1 && number <= 65535))
    return fail("pattern_port", `"${port}" is not a port: a port is a number from 1 to 65535.`);
  return { ok: true, host, port: String(number) };
}

/** Lowercase punycode with no trailing dot, through the WHATWG host parser (UTS #46 IDNA). */
function normaliseHost(raw: string, text: string): { ok: true; host: string; ip: boolean } | Failure {
  let parsed: string;
  try {
    parsed = new WhatwgUrl(`http://${raw}`).hostname;
  } catch {
    return fail(
      "pattern_host",
      `"${raw}" is not a valid host name: use letters, digits, hyphens and dots, e.g. example.com.`,
    );
  }
  const host = parsed.endsWith(".") ? parsed.slice(0, -1) : parsed;
  if (host.startsWith("[")) return { ok: true, host, ip: true };
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    const written = raw.toLowerCase().replace(/\.$/, "");
    if (written !== host) {
      return fail(
        "pattern_ip_form",
        `"${raw}" is an ambiguous way to write an IPv4 address: browsers read it as ${host}, so write that.`,
      );
    }
    return { ok: true, host, ip: true };
  }
  if (host.length > MAX_HOST_CHARS)
    return fail(
      "pattern_host_length",
      `The host in "${text}" is ${host.length} characters long: a host name is at most ${MAX_HOST_CHARS}.`,
    );
  const labels = host.split(".");
  if (labels.includes(""))
    return fail("pattern_host_label", `"${raw}" has an empty part between dots: write it as, e.g., example.com.`);
  if (labels.some((label) => label.length > MAX_LABEL_CHARS)) {
    return fail(
      "pattern_host_length",
      `A part of "${raw}" between dots is longer than ${MAX_LABEL_CHARS} characters, which no host name can be.`,
    );
  }
  return { ok: true, host, ip: false };
}

/**
 * RFC 3986 §6.2.2.1–2: upper-case percent-escapes, decode the unreserved characters. Runs of `/`
 * become one, as nearly every server treats them, so `//copy` cannot dodge `/copy` either.
 */
function normalisePath(pathname: string): string {
  const merged = pathname.includes("//") ? pathname.replace(/\/{2,}/g, "/") : pathname;
  if (!merged.includes("%")) return merged;
  return merged.replace(/%[0-9a-f]{2}/gi, (escape) => {
    const char = String.fromCharCode(Number.parseInt(escape.slice(1), 16));
    return /[A-Za-z0-9._~-]/.test(char) ? char : escape.toUpperCase();
  });
}

function stripOneSlash(path: string): string {
  return path.endsWith("/") ? path.slice(0, -1) : path;
}

/**
 * Reads the embedding page's URL. Only http and https pages can show the chat; userinfo, query and
 * fragment are dropped.
 * @example parsePage("https://user@Example.com./a?b#c") // { ok: true, page: { host: "example.com", port: "443", path: "/a", … } }
 */
export function parsePage(href: string): PageResult {
  if (href.length > MAX_PAGE_CHARS)
    return fail("page_too_long", `The page address is longer than ${MAX_PAGE_CHARS} characters.`);
  let url: ParsedUrl;
  try {
    url = new WhatwgUrl(href);
  } catch {
    return fail("page_invalid", "The page address is not a valid URL.");
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== "http" && scheme !== "https") {
    return fail(
      "page_scheme",
      `Pages at "${url.protocol}" addresses can't show the chat: only http and https pages can.`,
    );
  }
  const host = url.hostname.endsWith(".") ? url.hostname.slice(0, -1) : url.hostname;
  const page: PageUrl = {
    origin: url.origin,
    scheme,
    host,
    port: url.port || DEFAULT_PORTS[scheme],
    path: normalisePath(url.pathname),
  };
  return { ok: true, page };
}

/** Whether one pattern covers a page from `parsePage` (host, scheme, port and path prefix on a `/` boundary). */
export function patternMatches(pattern: WebsitePattern, page: PageUrl): boolean {
  if (pattern.scheme !== null && pattern.scheme !== page.scheme) return false;
  if (pattern.port !== null && pattern.port !== page.port) return false;
  const hostMatches = pattern.subdomains ? page.host.endsWith(`.${pattern.host}`) : page.host === pattern.host;
  if (!hostMatches) return false;
  return pattern.path === "" || page.path === pattern.path || page.path.startsWith(`${pattern.path}/`);
}

/** One pattern string in the policy document; the issue's message is the parser's. */
export const websitePatternSchema = z.string().check(
  z.superRefine((value: string, ctx) => {
    const result = parseWebsitePattern(value);
    if (!result.ok)
      ctx.addIssue({ code: "custom", message: result.message, input: value, params: { code: result.code } });
  }),
);
