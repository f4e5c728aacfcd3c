// decide(): whether this visitor, from this IP and country, on this page, may see the chat.
// The policy is compiled once when it changes; decide() only probes what was compiled.

import { countryHides, decideCountry, type CountryRule } from "./country";
import { formatIp, type IpAddress } from "./ip";
import { compileIpMatcher, type IpMatcher, type MatchableRule } from "./ip-matcher";
import type { FilePolicy, PolicyDocument } from "./schema";
import { parsePage, type PageUrl } from "./website";
import { compileWebsiteRules, type WebsiteMatcher } from "./website-matcher";

/** An account's policy, ready to answer many verdicts. */
export interface CompiledPolicy {
  ip: IpMatcher;
  countries: CountryRule;
  websites: WebsiteMatcher;
  files: FilePolicy;
}

/** What the server knows of a visitor. `country` is null when unknown; `page` as the visitor sent it. */
export interface Visitor {
  ip: IpAddress;
  country: string | null;
  page: string;
}

/** One check's finding. `rule` names the IP rule id or website pattern that decided, if any. */
export interface Reason {
  check: "ip" | "country" | "website";
  hides: boolean;
  message: string;
  rule?: string;
}

export interface Verdict {
  show: boolean;
  reasons: Reason[];
}

/** Compiles a policy document and its IP rules; call again whenever either changes. */
export function compilePolicy(doc: PolicyDocument, rules: readonly MatchableRule[]): CompiledPolicy {
  return {
    ip: compileIpMatcher(rules),
    countries: doc.countries,
    websites: compileWebsiteRules(doc.websites.allowed, doc.websites.blocked),
    files: doc.files,
  };
}

/**
 * The verdict: hidden if any rule hides the chat. Every check runs, so the console's preview can
 * list every reason; the visitor is only ever told `show`.
 * @example decide(compilePolicy(DEFAULT_POLICY, []), { ip, country: "DE", page: "https://example.com/" }, Date.now())
 *   // { show: true, reasons: [ … three reasons that do not hide … ] }
 */
export function decide(policy: CompiledPolicy, visitor: Visitor, now: number): Verdict {
  const reasons = [
    ipReason(policy.ip, visitor.ip, now),
    countryReason(policy.countries, visitor.country),
    websiteReason(policy.websites, visitor.page),
  ];
  return { show: reasons.every((reason) => !reason.hides), reasons };
}

/**
 * The check that hides this visitor first (in decide()'s order), or null when the chat shows: what
 * decide() says without the reasons. The verdict route asks this on every page view of every site,
 * and building a dozen sentences nobody reads was most of the decision's time.
 */
export function hiddenBy(
  policy: CompiledPolicy,
  visitor: Omit<Visitor, "page"> & { page: PageUrl },
  now: number,
): Reason["check"] | null {
  if (policy.ip.match(visitor.ip, now) !== null) return "ip";
  if (countryHides(policy.countries, visitor.country)) return "country";
  return policy.websites.verdict(visitor.page).allowed ? null : "website";
}

function ipReason(matcher: IpMatcher, ip: IpAddress, now: number): Reason {
  const rule = matcher.match(ip, now);
  if (rule === null) return { check: "ip", hides: false, message: `${formatIp(ip)} matches no IP rule.` };
  return { check: "ip", hides: true, message: `${formatIp(ip)} is blocked by the rule ${rule.text}.`, rule: rule.id };
}

function countryReason(rule: CountryRule, country: string | null): Reason {
  return { check: "country", ...decideCountry(rule, country) };
}

function websiteReason(matcher: WebsiteMatcher, href: string): Reason {
  const page = parsePage(href);
  if (!page.ok) return { check: "website", hides: true, message: page.message };
  const verdict = matcher.verdict(page.page);
  const where = page.page.origin + page.page.path;
  const reason: Reason = {
    check: "website",
    hides: !verdict.allowed,
    message: websiteMessage(verdict.reason, where, verdict.rule),
  };
  if (verdict.rule !== null) reason.rule = verdict.rule;
  return reason;
}

function websiteMessage(
  reason: "blocked" | "not_allowed" | "allowed" | "no_rules",
  where: string,
  rule: string | null,
): string {
  switch (reason) {
    case "blocked":
      return `${where} matches the blocked pattern ${rule}.`;
    case "not_allowed":
      return `${where} matches no allowed pattern.`;
    case "allowed":
      return `${where} matches the allowed pattern ${rule}.`;
    case "no_rules":
      return "No allowed patterns: every site may show the chat.";
  }
}
