// The visitors' addresses a console user reads (issue #29): owners read them whole; agents of an account
// whose owners chose "network" read each as its /24 or /48. What a block from a chat acts on is the
// full address the store keeps, never what the console was shown.

import { anonymousNetwork } from "../../policy/cidr";
import type { Conversation } from "../../policy/chat";
import type { ListedRule } from "../../policy/rules";
import type { Role } from "../../policy/wire";
import type { Deps } from "../deps";

/** How a console user's answers show addresses; `seesNetworks` false: as stored. */
export interface AddressView {
  seesNetworks: boolean;
  conversation<T extends Conversation>(conversation: T): T;
  rule<T extends ListedRule>(rule: T): T;
}

const WHOLE: AddressView = { seesNetworks: false, conversation: (chat) => chat, rule: (rule) => rule };

const AS_NETWORKS: AddressView = {
  seesNetworks: true,
  conversation: (chat) => ({
    ...chat,
    visitorIp: anonymousNetwork(chat.visitorIp),
    visitorAddresses: chat.visitorAddresses.map((seen) => ({ ...seen, ip: anonymousNetwork(seen.ip) })),
  }),
  rule: (rule) =>
    rule.chat ? { ...rule, chat: { ...rule.chat, visitorIp: anonymousNetwork(rule.chat.visitorIp) } } : rule,
};

/** The view of a user of `role` where the owners chose `agentsSee`. */
export function addressViewOf(role: Role, agentsSee: "full" | "network"): AddressView {
  return role === "agent" && agentsSee === "network" ? AS_NETWORKS : WHOLE;
}

/** The view of a signed-in user, by their account's policy as it is now. */
export async function addressView(deps: Deps, user: { account_id: string; role: Role }): Promise<AddressView> {
  if (user.role === "owner") return WHOLE;
  const policy = await deps.policyCache.get(user.account_id);
  return addressViewOf(user.role, policy?.agentsSeeAddresses ?? "full");
}
