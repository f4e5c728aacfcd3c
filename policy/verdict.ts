// decide(): whether this visitor, from this IP, network and country, on this page, may see the chat.
// The policy is compiled once when it changes; decide() only probes what was compiled. What takes
// I/O to know (the AS of an address, whether it is a Tor exit) the server finds out and passes in.

import { countryHides, decideCountry, type CountryRule } from "./country";
import { isHostingAs } from "./hosting";
import { formatIp, type IpAddress } from "./ip";
import type { IpMatcher } from "./ip-matcher";
import type { WidgetLanguage } from "./languages";
import { asText, compileRules, type CompiledRules, type KeyedRules, type RuleEntry } from "./rules";
import {
  protectionOf,
  screeningOf,
  type FilePolicy,
  type NetworkSwitches,
  type PolicyDocument,
  type Protection,
  type Screening,
} from "./schema";
import { parsePage, type PageUrl } from "./website";
import { compileWebsiteRules, type WebsiteMatcher } from "./website-matcher";
import { widgetLookOf, type WidgetLook } from "./widget-look";

/** An account's policy, ready to answer many verdicts. */
export interface CompiledPolicy {
  ip: IpMatcher;
  as: KeyedRules<number>;
  visitors: KeyedRules<string>;
  networks: NetworkSwitches;
  countries: CountryRule;
  websites: WebsiteMatcher;
  files: FilePolicy;
  protection: Protection;
  /** What is done with visitors' words (server/screening/); one object per policy version, so it keys a cache. */
  screening: Screening;
  /** "network": agents read visitors' addresses as their /24 or /48 (owners read them whole). */
  agentsSeeAddresses: "full" | "network";
  /** The language the owner pins for the widget, or null to follow the visitor's browser. */
  language: WidgetLanguage | null;
  /** When no agent is online: hide the chat, or take messages. */
  away: "hide" | "messages";
  /** What the widget draws beyond its defaults, for the verdict's config. */
  look: WidgetLook;
  /** Whether a verdict needs the visitor's AS (an AS rule, or the hosting switch): else it is not looked up. */
  needsAs: boolean;
  /** Whether a verdict needs to know if the address is a Tor exit. */
  needsTor: boolean;
}

/** An autonomous system, as the server's ASN data names it. */
export interface AsOf {
  asn: number;
  name: string;
}

/** What the server knows of a visitor. `country` is null when unknown; `page` as the visitor sent it. */
export interface Visitor {
  ip: IpAddress;
  country: string | null;
  page: string;
  /** The browser's visitor id, when it sent a well-formed one. */
  visitorId: string | null;
  /** The AS of `ip`: looked up when the policy needs it and the data knows it. */
  as: AsOf | null;
  /** Whether `ip` is on the operator's Tor exit list (asked only when the policy needs it). */
  tor: boolean;
  /** Whether any agent of the account is online; null when not known (then the chat is not hidden for it). */
  agentsOnline: boolean | null;
}

/** Every check decide() makes, in the order it lists their reasons. */
export const REASON_CHECKS = [
  "ip",
  "visitor",
  "as",
  "hosting",
  "tor",
  "challenge",
  "country",
  "website",
  "away",
] as const;

/**
 * One check's finding. `rule` names the rule id or website pattern that decided, if any; `challenges`
 * says the check shows the chat only behind a proof of work.
 */
export interface Reason {
  check: (typeof REASON_CHECKS)[number];
  hides: boolean;
  challenges?: true;
  message: string;
  rule?: string;
}

/** `challenged`: the chat shows, but the visitor proves work before their first message. */
export interface Verdict {
  show: boolean;
  challenged: boolean;
  reasons: Reason[];
}

/** Why a shown visitor must solve a proof of work first. */
export type ChallengeCause = "everyone" | "hosting" | "tor";

const NETWORKS_OFF: NetworkSwitches = { hosting: "off", tor: "off" };

/** Compiles a policy document and its rules of every kind; call again whenever either changes. */
export function compilePolicy(doc: PolicyDocument, rules: readonly RuleEntry[]): CompiledPolicy {
  return compilePolicyWith(doc, compileRules(rules));
}

/** compilePolicy() with the rules compiled already: the policy cache keeps them, changed rule by rule. */
export function compilePolicyWith(doc: PolicyDocument, { ip, as, visitors }: CompiledRules): CompiledPolicy {
  const networks = doc.networks ?? NETWORKS_OFF;
  return {
    ip,
    as,
    visitors,
    networks,
    countries: doc.countries,
    websites: compileWebsiteRules(doc.websites.allowed, doc.websites.blocked),
    files: doc.files,
    protection: protectionOf(doc),
    screening: screeningOf(doc),
    agentsSeeAddresses: doc.agentsSeeAddresses ?? "full",
    language: doc.window?.language ?? null,
    away: doc.window?.away ?? "messages",
    look: widgetLookOf(doc.window),
    needsAs: as.size > 0 || networks.hosting !== "off",
    needsTor: networks.tor !== "off",
  };
}

/**
 * The verdict: hidden if any rule hides the chat. Every check runs, so the console's preview can
 * list every reason; the visitor is only ever told `show`.
 * @example decide(compilePolicy(DEFAULT_POLICY, []), { ip, country: "DE", page: "https://example.com/", visitorId: null, as: null, tor: false }, Date.now())
 *   // { show: true, reasons: [ … seven reasons that do not hide … ] }
 */
export function decide(policy: CompiledPolicy, visitor: Visitor, now: number): Verdict {
  const reasons = [
    ipReason(policy.ip, visitor.ip, now),
    visitorReason(policy.visitors, visitor.visitorId, now),
    asReason(policy.as, visitor, now),
    hostingReason(policy.networks, visitor.as),
    torReason(policy.networks, visitor),
    challengeReason(policy.protection),
    countryReason(policy.countries, visitor.country),
    websiteReason(policy.websites, visitor.page),
    awayReason(policy.away, visitor.agentsOnline),
  ];
  const show = reasons.every((reason) => !reason.hides);
  return { show, challenged: show && reasons.some((reason) => reason.challenges), reasons };
}

/**
 * Why a visitor the chat shows to must first prove work, or null: the fast path's twin of decide()'s
 * `challenged`, asked only once hiddenBy() found nothing.
 */
export function challengedBy(policy: CompiledPolicy, visitor: Pick<Visitor, "as" | "tor">): ChallengeCause | null {
  if (policy.protection.challengeEveryone) return "everyone";
  if (policy.networks.hosting === "challenge" && visitor.as !== null && isHostingAs(visitor.as.asn)) return "hosting";
  if (policy.networks.tor === "challenge" && visitor.tor) return "tor";
  return null;
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
  if (visitor.visitorId !== null && policy.visitors.match(visitor.visitorId, now) !== null) return "visitor";
  if (visitor.as !== null && policy.as.match(visitor.as.asn, now) !== null) return "as";
  if (policy.networks.hosting === "hide" && visitor.as !== null && isHostingAs(visitor.as.asn)) return "hosting";
  if (policy.networks.tor === "hide" && visitor.tor) return "tor";
  if (countryHides(policy.countries, visitor.country)) return "country";
  if (!policy.websites.check(visitor.page).allowed) return "website";
  return policy.away === "hide" && visitor.agentsOnline === false ? "away" : null;
}

function ipReason(matcher: IpMatcher, ip: IpAddress, now: number): Reason {
  const rule = matcher.match(ip, now);
  if (rule === null) return { check: "ip", hides: false, message: `${formatIp(ip)} matches no IP rule.` };
  return { check: "ip", hides: true, message: `${formatIp(ip)} is blocked by the rule ${rule.text}.`, rule: rule.id };
}

function visitorReason(rules: KeyedRules<string>, visitorId: string | null, now: number): Reason {
  if (visitorId === null) return { check: "visitor", hides: false, message: "No visitor id came with the request." };
  const rule = rules.match(visitorId, now);
  if (rule === null)
    return { check: "visitor", hides: false, message: `The visitor ${visitorId} matches no visitor rule.` };
  return {
    check: "visitor",
    hides: true,
    message: `The visitor ${visitorId} is blocked, whatever address it comes from.`,
    rule: rule.id,
  };
}

function asReason(rules: KeyedRules<number>, visitor: Visitor, now: number): Reason {
  if (visitor.as === null)
    return { check: "as", hides: false, message: `The network (AS) of ${formatIp(visitor.ip)} is not known.` };
  const named = `${asText(visitor.as.asn)} ${visitor.as.name}`;
  const rule = rules.match(visitor.as.asn, now);
  if (rule === null)
    return { check: "as", hides: false, message: `${formatIp(visitor.ip)} is in ${named}, which no AS rule blocks.` };
  return {
    check: "as",
    hides: true,
    message: `${formatIp(visitor.ip)} is in ${named}, blocked by the rule ${rule.text}.`,
    rule: rule.id,
  };
}

function hostingReason(networks: NetworkSwitches, as: AsOf | null): Reason {
  if (networks.hosting === "off")
    return { check: "hosting", hides: false, message: "Hosting, cloud and VPN networks are not hidden." };
  if (as === null)
    return {
      check: "hosting",
      hides: false,
      message: "The network (AS) is not known, so it is not taken for a hosting network.",
    };
  const named = `${asText(as.asn)} ${as.name}`;
  if (!isHostingAs(as.asn))
    return { check: "hosting", hides: false, message: `${named} is not a known hosting, cloud or VPN network.` };
  if (networks.hosting === "challenge")
    return {
      check: "hosting",
      hides: false,
      challenges: true,
      message: `${named} is a hosting, cloud or VPN network, and those are challenged: a proof of work before the first message.`,
      rule: asText(as.asn),
    };
  return {
    check: "hosting",
    hides: true,
    message: `${named} is a hosting, cloud or VPN network, and those are hidden.`,
    rule: asText(as.asn),
  };
}

function torReason(networks: NetworkSwitches, visitor: Visitor): Reason {
  if (networks.tor === "off") return { check: "tor", hides: false, message: "Tor exits are not hidden." };
  const ip = formatIp(visitor.ip);
  if (!visitor.tor) return { check: "tor", hides: false, message: `${ip} is not on the Tor exit list.` };
  if (networks.tor === "challenge")
    return {
      check: "tor",
      hides: false,
      challenges: true,
      message: `${ip} is a Tor exit, and those are challenged: a proof of work before the first message.`,
    };
  return { check: "tor", hides: true, message: `${ip} is a Tor exit, and those are hidden.` };
}

function awayReason(away: "hide" | "messages", agentsOnline: boolean | null): Reason {
  if (agentsOnline === true) return { check: "away", hides: false, message: "An agent is online." };
  if (agentsOnline === null)
    return { check: "away", hides: false, message: "Whether an agent is online is not known yet, so the chat shows." };
  return away === "hide"
    ? { check: "away", hides: true, message: "No agent is online, and the chat is hidden while no one is." }
    : { check: "away", hides: false, message: "No agent is online: the visitor may leave a message." };
}

function challengeReason(protection: Protection): Reason {
  if (!protection.challengeEveryone)
    return { check: "challenge", hides: false, message: "Visitors are not all asked for a proof of work." };
  return {
    check: "challenge",
    hides: false,
    challenges: true,
    message: "Every visitor is challenged (the account is under attack): a proof of work before the first message.",
  };
}

function countryReason(rule: CountryRule, country: string | null): Reason {
  return { check: "country", ...decideCountry(rule, country) };
}

function websiteReason(matcher: WebsiteMatcher, href: string): Reason {
  const page = parsePage(href);
  if (!page.ok) return { check: "website", hides: true, message: page.message };
  const found = matcher.check(page.page);
  const where = page.page.origin + page.page.path;
  const reason: Reason = {
    check: "website",
    hides: !found.allowed,
    message: websiteMessage(found.reason, where, found.rule),
  };
  if (found.rule !== null) reason.rule = found.rule;
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
