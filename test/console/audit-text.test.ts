// An audit entry as one line: who made the change, and what it did, for changes to the team too.
import { describe, expect, test } from "vitest";
import { auditWhat, auditWho } from "../../console/audit-text";
import type { AuditEntry } from "../../console/types";

const entry = (action: string, detail: object, email: string | null = "owner@acme.test"): AuditEntry => ({
  id: 1,
  action,
  userId: email ? "user_1" : null,
  email,
  detail,
  createdAt: "2026-01-02T03:04:05.000Z",
});

describe("a change to the team in the audit", () => {
  test.each([
    [entry("user.add", { email: "ana@acme.test", role: "agent" }), "owner@acme.test", "added ana@acme.test as agent"],
    [
      entry("user.role", { email: "ana@acme.test", role: "owner", from: "agent" }),
      "owner@acme.test",
      "made ana@acme.test owner (was agent)",
    ],
    [
      entry("user.remove", { email: "ana@acme.test", role: "agent" }),
      "owner@acme.test",
      "removed ana@acme.test (agent)",
    ],
    [
      entry("user.reset", { email: "ana@acme.test", role: "agent" }),
      "owner@acme.test",
      "made a password-reset link for ana@acme.test",
    ],
    [
      entry("user.password", { email: "ana@acme.test", role: "agent" }, "ana@acme.test"),
      "ana@acme.test",
      "set a new password for ana@acme.test",
    ],
    [
      entry("user.name", { email: "ana@acme.test", role: "agent", from: null, name: "Ana" }, "ana@acme.test"),
      "ana@acme.test",
      "changed the name ana@acme.test shows to visitors from none to “Ana”",
    ],
    [
      entry("user.name", { email: "ana@acme.test", role: "agent", from: "Ana", name: null }, "ana@acme.test"),
      "ana@acme.test",
      "changed the name ana@acme.test shows to visitors from “Ana” to none",
    ],
    [
      entry("visitor.erase", { visitorId: "v_1", chats: 2, messages: 14, files: 1 }),
      "owner@acme.test",
      "erased visitor v_1: 2 chats, 14 messages, 1 file",
    ],
    [
      entry("retention.delete", { chats: 3, messages: 1, files: 0 }, null),
      "retention",
      "deleted closed chats past the retention period: 3 chats, 1 message, 0 files",
    ],
    [
      entry("visitor.export", { visitorId: "v_1", chats: 2, files: 1 }),
      "owner@acme.test",
      "exported the data of visitor v_1: 2 chats, 1 file",
    ],
    [
      entry("user.sessions_end", { email: "ana@acme.test", role: "agent" }),
      "owner@acme.test",
      "signed ana@acme.test out everywhere",
    ],
    [
      entry("account.two_factor", { required: true }),
      "owner@acme.test",
      "required two-factor sign-in of the whole team",
    ],
    [entry("account.two_factor", { required: false }), "owner@acme.test", "stopped requiring two-factor sign-in"],
    [
      entry("user.two_factor_on", { email: "ana@acme.test", role: "agent" }, "ana@acme.test"),
      "ana@acme.test",
      "turned on two-factor sign-in for ana@acme.test",
    ],
    [
      entry("user.two_factor_off", { email: "ana@acme.test", role: "agent", via: "command line" }, null),
      "the hatch command",
      "turned off two-factor sign-in for ana@acme.test",
    ],
    [
      entry("user.add", { email: "bob@acme.test", role: "agent", via: "command line" }, null),
      "the hatch command",
      "added bob@acme.test as agent",
    ],
    [
      entry("user.add", { email: "ann@acme.test", role: "owner", via: "first-run link" }, null),
      "the first-run link",
      "added ann@acme.test as owner",
    ],
    [entry("rule.add", { kind: "ip", rule: "192.0.2.1" }, null), "automatic protection", "added 192.0.2.1 (ip)"],
    [
      entry("policy.update", {
        changes: [
          { field: "protection.chatsPerHour", before: null, after: 3 },
          { field: "protection.challengeEveryone", before: false, after: true },
          { field: "countries.list", before: [], after: ["AA", "BB", "CC", "DD", "EE", "FF", "GG", "HH", "II", "JJ"] },
        ],
      }),
      "owner@acme.test",
      "changed Chats per hour from default to 3; Challenge every visitor from off to on; Countries from none to AA, BB, CC, DD, EE, FF, GG, HH and 2 more",
    ],
    [entry("policy.update", { countries: { mode: "off", list: [] } }), "owner@acme.test", "changed the policy"],
    [
      entry("message.hold", { conversationId: "conv_1", messageId: 7 }, null),
      "screening",
      "held message 7 of chat conv_1",
    ],
    [
      entry("message.reveal", { conversationId: "conv_1", messageId: 7 }),
      "owner@acme.test",
      "showed the masked words of message 7 of chat conv_1",
    ],
    [
      entry("file.malware", { conversationId: "conv_1", name: "invoice.zip", signature: "Win.Trojan.Agent-1" }, null),
      "virus scanning",
      "refused invoice.zip in chat conv_1: ClamAV found Win.Trojan.Agent-1",
    ],
    [
      entry("message.release", { conversationId: "conv_1", messageId: 7 }),
      "owner@acme.test",
      "released held message 7 into chat conv_1",
    ],
  ])("reads %j as who and what", (audited, who, what) => {
    expect(auditWho(audited)).toBe(who);
    expect(auditWhat(audited)).toBe(what);
  });
});
