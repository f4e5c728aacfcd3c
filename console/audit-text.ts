// An audit entry as one readable line: who, and what they did ("added AS13335 (as)", "changed the policy").

import type { AuditEntry } from "./types";

/** The fields of an entry's detail the console reads; older entries (`ip_rule.*`) name `network` or `text`. */
interface Detail {
  kind?: string;
  rule?: string;
  network?: string;
  text?: string;
  comment?: string;
  /** Epoch milliseconds, or null for never. */
  expiresAt?: number | null;
}

/** Who made a change: their email, or Hatch itself. */
export function auditWho(entry: AuditEntry): string {
  return entry.email ?? "automatic protection";
}

/**
 * What a change did, in a few words.
 * @example auditWhat({ action: "rule.add", detail: { kind: "as", rule: "AS13335" }, … }) // "added AS13335 (as)"
 */
export function auditWhat(entry: AuditEntry): string {
  const detail = (typeof entry.detail === "object" && entry.detail !== null ? entry.detail : {}) as Detail;
  const rule = detail.rule ?? detail.network ?? detail.text ?? "a rule";
  const kind = detail.kind ? ` (${detail.kind})` : "";
  const until = typeof detail.expiresAt === "number" ? ` until ${new Date(detail.expiresAt).toLocaleString()}` : "";
  const comment = detail.comment ? `: “${detail.comment}”` : "";
  switch (entry.action) {
    case "rule.add":
    case "ip_rule.add":
      return `added ${rule}${kind}${until}${comment}`;
    case "rule.remove":
    case "ip_rule.remove":
      return `removed ${rule}${kind}`;
    case "policy.update":
      return "changed the policy";
    default:
      return entry.action;
  }
}
