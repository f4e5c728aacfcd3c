// How the console names a rule's kind and its author, in the rules list and after a block from a chat.

import type { Rule, RuleKind } from "./types";

/** Each kind as a column of the rules list says it. */
export const KIND_NAMES: Record<RuleKind, string> = {
  address: "address",
  network: "network",
  as: "AS",
  visitor: "visitor",
};

/** Who made a rule, as one line of text (the chat it came from is linked beside it). */
export function authorText(rule: Rule): string {
  const by = rule.createdBy;
  if (by.kind === "automatic") return "automatic protection";
  return by.kind === "agent" ? `agent ${by.email}` : by.email;
}

/** Whether a rule's expiry has passed: it hides no one, and stays listed a while marked expired. */
export function isExpired(rule: Rule, now = Date.now()): boolean {
  return rule.expiresAt !== null && Date.parse(rule.expiresAt) <= now;
}
