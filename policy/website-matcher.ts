// The website rules compiled once: lookup cost depends on the page host's label count, not the rule
// count. Also answers, for CORS, whether any page of an origin may show the chat.

import { patternMatches, parseWebsitePattern, type PageUrl, type WebsitePattern } from "./website";

/** Whether a page may show the chat, and which pattern decided. */
interface PageCheck {
  allowed: boolean;
  /** The canonical text of the pattern that decided; null when no pattern did. */
  rule: string | null;
  reason: "blocked" | "not_allowed" | "allowed" | "no_rules";
}

export interface WebsiteMatcher {
  /**
   * Whether some page on this origin (`page.path` is ignored) may show the chat: what CORS echoes.
   * An origin is refused only when a blocked pattern covers all of it.
   */
  allowsOrigin(page: PageUrl): boolean;
  /** Whether this page may show the chat, and the pattern that says so. */
  check(page: PageUrl): PageCheck;
}

type Matches = (pattern: WebsitePattern, page: PageUrl) => boolean;

/** A pattern's host, scheme and port cover the page's origin, whatever the path. */
function originMatches(pattern: WebsitePattern, page: PageUrl): boolean {
  return patternMatches({ ...pattern, path: "" }, page);
}

/**
 * Compiles the allowed and blocked lists once. A blocked match hides the page even if it is allowed;
 * an empty allowed list allows every http(s) page. Throws on an invalid pattern (the schema checks first).
 * @example compileWebsiteRules(["*.example.com"], ["shop.example.com/admin"]).check(page)
 */
export function compileWebsiteRules(allowed: readonly string[], blocked: readonly string[]): WebsiteMatcher {
  const findAllowed = compileList(allowed, patternMatches);
  const findBlocked = compileList(blocked, patternMatches);
  const allowedOrigin = compileList(allowed, originMatches);
  const blockedOrigin = compileList(blocked, (pattern, page) => pattern.path === "" && originMatches(pattern, page));
  // The server hands the same PageUrl object for every view of a page, so the answer is kept with
  // it: weakly, so it goes when the page does. It was the largest of the verdict's own checks.
  const checks = new WeakMap<PageUrl, PageCheck>();
  const checkPage = (page: PageUrl): PageCheck => {
    const block = findBlocked(page);
    if (block) return { allowed: false, rule: block.text, reason: "blocked" };
    if (allowed.length === 0) return { allowed: true, rule: null, reason: "no_rules" };
    const allow = findAllowed(page);
    return allow
      ? { allowed: true, rule: allow.text, reason: "allowed" }
      : { allowed: false, rule: null, reason: "not_allowed" };
  };
  return {
    allowsOrigin(page) {
      if (blockedOrigin(page)) return false;
      return allowed.length === 0 || allowedOrigin(page) !== null;
    },
    check(page) {
      let found = checks.get(page);
      if (found === undefined) checks.set(page, (found = checkPage(page)));
      return found;
    },
  };
}

interface Entry {
  order: number;
  pattern: WebsitePattern;
}

/** Exact hosts in one map, `*.` patterns in another keyed by parent domain; each bucket in list order. */
function compileList(texts: readonly string[], matches: Matches): (page: PageUrl) => WebsitePattern | null {
  const exact = new Map<string, Entry[]>();
  const wildcard = new Map<string, Entry[]>();
  texts.forEach((text, order) => {
    const result = parseWebsitePattern(text);
    if (!result.ok) throw new Error(`Invalid website pattern ${JSON.stringify(text)}: ${result.message}`);
    const index = result.pattern.subdomains ? wildcard : exact;
    const bucket = index.get(result.pattern.host);
    if (bucket) bucket.push({ order, pattern: result.pattern });
    else index.set(result.pattern.host, [{ order, pattern: result.pattern }]);
  });
  // A plain loop, no closure per call: this runs on every verdict.
  return (page) => {
    let best = firstMatch(exact.get(page.host), page, matches);
    // a.b.example.com: look up b.example.com, example.com, com.
    for (let dot = page.host.indexOf("."); dot >= 0; dot = page.host.indexOf(".", dot + 1)) {
      const hit = firstMatch(wildcard.get(page.host.slice(dot + 1)), page, matches);
      if (hit !== undefined && (best === undefined || hit.order < best.order)) best = hit;
    }
    return best?.pattern ?? null;
  };
}

function firstMatch(bucket: Entry[] | undefined, page: PageUrl, matches: Matches): Entry | undefined {
  if (bucket === undefined) return undefined;
  for (const entry of bucket) if (matches(entry.pattern, page)) return entry;
  return undefined;
}
