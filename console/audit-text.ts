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
  /** A change to the team: the user's email, their role after it and before. */
  email?: string;
  role?: string;
  from?: string;
  /** A change made outside the console: "command line" or "first-run link". */
  via?: string;
}

function detailOf(entry: AuditEntry): Detail {
  return (typeof entry.detail === "object" && entry.detail !== null ? entry.detail : {}) as Detail;
}

/** Who made a change: their email, the hatch command or the first-run link, or Hatch itself. */
export function auditWho(entry: AuditEntry): string {
  if (entry.email) return entry.email;
  const via = detailOf(entry).via;
  if (via === "command line") return "the hatch command";
  return via ? `the ${via}` : "automatic protection";
}

/**
 * What a change did, in a few words.
 * @example auditWhat({ action: "rule.add", detail: { kind: "as", rule: "AS13335" }, … }) // "added AS13335 (as)"
 */
export function auditWhat(entry: AuditEntry): string {
  const detail = detailOf(entry);
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
    case "user.add":
      return `added ${detail.email} as ${detail.role}`;
    case "user.role":
      return `made ${detail.email} ${detail.role} (was ${detail.from})`;
    case "user.remove":
      return `removed ${detail.email} (${detail.role})`;
    case "user.reset":
      return `made a password-reset link for ${detail.email}`;
    case "user.password":
      return `set a new password for ${detail.email}`;
    default:
      return entry.action;
  }
}
