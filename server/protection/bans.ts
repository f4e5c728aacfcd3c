// Banning a visitor: the rules that hide them by browser, address, network or network operator (AS),
// made by an agent from a chat or by automatic protection; what a live rule already does is not stored
// again, which the store answers by looking up each target, never by loading the account's rules.

import { formatNetwork, networkOf } from "../../policy/cidr";
import { parseIp, unmapIpv4 } from "../../policy/ip";
import { asText, type Rule, type RuleAuthor, type RuleKind } from "../../policy/rules";
import type { Deps } from "../deps";
import { ApiError } from "../http/errors";
import { announcePolicyChange } from "../realtime/policy-events";
import type { NewRule } from "../store/rules";

/** "address" blocks the visitor's one address; "network" their /24 (IPv4) or /64 (IPv6), where one ISP customer usually sits. */
const BLOCK_PREFIX = { address: { 4: 32, 6: 128 }, network: { 4: 24, 6: 64 } } as const;

/** Who is banned: a browser's visitor id and the address it writes from now. */
export interface Banned {
  visitorId: string;
  visitorIp: string;
}

interface BanOptions {
  comment: string;
  author: RuleAuthor;
  /** Epoch milliseconds, or null for never. */
  expiresAt: number | null;
}

/** A rule a ban made, or found already doing the same (`created` false). */
export type BanRule = Rule & { created: boolean };

/** What banning this visitor by each scope means now: its browser, its current address, network or AS. */
async function banTargets(deps: Deps, banned: Banned, scopes: readonly RuleKind[]): Promise<NewRule[]> {
  const parsed = parseIp(banned.visitorIp);
  const address = parsed.ok ? unmapIpv4(parsed.address) : null;
  const targets: NewRule[] = [];
  for (const kind of scopes) {
    if (kind === "visitor") {
      targets.push({ target: { kind, visitorId: banned.visitorId }, text: banned.visitorId });
    } else if (address === null) {
      throw new ApiError(
        409,
        "no_address",
        banned.visitorIp.includes("/")
          ? `This chat's address is kept only as its network ${banned.visitorIp} (the retention settings): block the visitor, or add a rule for that network.`
          : "This chat has no usable visitor address to block: block the visitor instead.",
      );
    } else if (kind === "as") {
      const as = await deps.networks.asOfLoaded(address).catch(() => null);
      if (as === null)
        throw new ApiError(
          409,
          "no_as",
          "The network operator (AS) of this chat's address is not known: block the address or the network instead.",
        );
      targets.push({ target: { kind, asn: as.asn }, text: asText(as.asn) });
    } else {
      const network = networkOf(address, BLOCK_PREFIX[kind][address.version]);
      targets.push({ target: { kind, network }, text: formatNetwork(network) });
    }
  }
  return targets;
}

/**
 * Makes the rules that hide `banned` by each scope, in the scopes' order, and tells every instance and
 * console. Open chats of the visitor end at their next request, as their event streams re-check.
 */
export async function ban(
  deps: Deps,
  accountId: string,
  banned: Banned,
  scopes: readonly RuleKind[],
  options: BanOptions,
  now: number,
): Promise<BanRule[]> {
  const wanted = await banTargets(deps, banned, [...new Set(scopes)]);
  const { result: found, rules: made } = await deps.rules.addUncovered(accountId, wanted, options, now);
  let added = 0;
  const rules = found.flatMap((kept): BanRule[] => {
    const rule = kept ?? made[added++];
    return rule ? [{ ...rule, created: kept === null }] : [];
  });
  if (made.length > 0) await announcePolicyChange(deps, accountId, "rules");
  return rules;
}
