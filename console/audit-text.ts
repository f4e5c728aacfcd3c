// An audit entry as one readable line: who, and what they did ("added AS13335 (as)", "changed the policy").

import type { FieldChange } from "../policy/changes";
import { labelOf } from "../policy/field-labels";
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
  /** A change to the team: the user's email, their role after it and before (or their name, for user.name). */
  email?: string;
  role?: string;
  from?: string | null;
  /** A change made outside the console: "command line" or "first-run link". */
  via?: string;
  /** visitor.erase and visitor.export: whose data, and how much of it (retention.delete: how much). */
  visitorId?: string;
  chats?: number;
  messages?: number;
  files?: number;
  /** account.two_factor: whether the account now requires two-factor sign-in. */
  required?: boolean;
  /** A policy change: each field before and after (entries before this was kept have none). */
  changes?: FieldChange[];
  /** A message screening held, or one an agent revealed or released: its chat and id. */
  conversationId?: string;
  messageId?: number;
  /** A file a virus scanner found something in: its name and the signature found. A user.name entry: the display name set (null: none). */
  name?: string | null;
  signature?: string;
}

function detailOf(entry: AuditEntry): Detail {
  return (typeof entry.detail === "object" && entry.detail !== null ? entry.detail : {}) as Detail;
}

/** Lists longer than this are cut, saying how many more: a country list can hold 300. */
const LISTED = 8;

/** A field's value as the log reads it: absent is the default; lists by their items; switches on or off. */
function valueText(value: unknown): string {
  if (value === null || value === undefined) return "default";
  if (typeof value === "boolean") return value ? "on" : "off";
  if (Array.isArray(value)) {
    if (value.length === 0) return "none";
    const more = value.length > LISTED ? ` and ${value.length - LISTED} more` : "";
    return value.slice(0, LISTED).join(", ") + more;
  }
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** "from “Ann” to “Ann B.”", with no name read as the email visitors then see. */
const nameChange = (from: string | null | undefined, to: string | null | undefined) =>
  `from ${from ? `“${from}”` : "none"} to ${to ? `“${to}”` : "none"}`;

const changeText = (change: FieldChange) =>
  `${labelOf(change.field)} from ${valueText(change.before)} to ${valueText(change.after)}`;

/** "1 file", "3 files" (the console is English-only). */
const counted = (count: number | undefined, word: string) => `${count ?? 0} ${word}${count === 1 ? "" : "s"}`;

/** Who made a change: their email, the hatch command or the first-run link, or Hatch itself. */
export function auditWho(entry: AuditEntry): string {
  if (entry.email) return entry.email;
  if (entry.action === "message.hold") return "screening";
  if (entry.action === "file.malware") return "virus scanning";
  if (entry.action === "retention.delete") return "retention";
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
      return detail.changes?.length ? `changed ${detail.changes.map(changeText).join("; ")}` : "changed the policy";
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
    case "visitor.erase":
      return `erased visitor ${detail.visitorId}: ${counted(detail.chats, "chat")}, ${counted(detail.messages, "message")}, ${counted(detail.files, "file")}`;
    case "retention.delete":
      return `deleted closed chats past the retention period: ${counted(detail.chats, "chat")}, ${counted(detail.messages, "message")}, ${counted(detail.files, "file")}`;
    case "visitor.export":
      return `exported the data of visitor ${detail.visitorId}: ${counted(detail.chats, "chat")}, ${counted(detail.files, "file")}`;
    case "user.sessions_end":
      return `signed ${detail.email} out everywhere`;
    case "account.two_factor":
      return detail.required ? "required two-factor sign-in of the whole team" : "stopped requiring two-factor sign-in";
    case "user.two_factor_on":
      return `turned on two-factor sign-in for ${detail.email}`;
    case "user.two_factor_off":
      return `turned off two-factor sign-in for ${detail.email}`;
    case "user.name":
      return `changed the name ${detail.email} shows to visitors ${nameChange(detail.from, detail.name)}`;
    case "message.hold":
      return `held message ${detail.messageId} of chat ${detail.conversationId}`;
    case "message.reveal":
      return `showed the masked words of message ${detail.messageId} of chat ${detail.conversationId}`;
    case "file.malware":
      return `refused ${detail.name} in chat ${detail.conversationId}: ClamAV found ${detail.signature}`;
    case "message.release":
      return `released held message ${detail.messageId} into chat ${detail.conversationId}`;
    default:
      return entry.action;
  }
}
