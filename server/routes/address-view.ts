// The visitors' addresses a signed-in console user reads (policy/address-view.ts decides): a chat, a
// rule (its text, comment and chat), an automatic ban's notice. What a block from a chat acts on is the
// full address the store keeps, never what the console was shown.

import { addressViewOf, type AddressView } from "../../policy/address-view";
import type { Role } from "../../policy/wire";
import type { Deps } from "../deps";

/** Console events that name visitors' addresses: a chat's, and automatic protection's bans. Messages are the visitor's words. */
const EVENTS_WITH_ADDRESSES = new Set(["conversation", "protection"]);

/** The view of a signed-in user, by their account's policy as it is now. */
export async function addressView(deps: Deps, user: { account_id: string; role: Role }): Promise<AddressView> {
  if (user.role === "owner") return addressViewOf("owner", "full");
  const policy = await deps.policyCache.get(user.account_id);
  return addressViewOf(user.role, policy?.agentsSeeAddresses);
}

/** A console event's data as `view` shows it. */
export function shownEvent(view: AddressView, type: string, data: unknown): unknown {
  return view.seesNetworks && EVENTS_WITH_ADDRESSES.has(type) ? view.shown(data) : data;
}
