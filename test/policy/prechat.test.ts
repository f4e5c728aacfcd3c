// What a visitor answers before the chat, checked against the owner's form and the email asked while
// nobody is online: the rules the widget applies before sending and the server again on arrival.
import { describe, expect, it } from "vitest";
import { asksOfflineEmail, intakeRulesOf, readIntake, type PrechatField } from "../../policy/prechat";

const NAME: PrechatField = { kind: "name", required: true };
const EMAIL: PrechatField = { kind: "email", required: false };
const TOPIC: PrechatField = { kind: "choice", label: "Topic", required: false, options: ["Billing", "Delivery"] };

describe("intakeRulesOf", () => {
  it("asks nothing of a config without a form, and the email optionally while nobody is online", () => {
    expect(intakeRulesOf({}, true)).toEqual({
      fields: [],
      away: true,
      offlineEmail: "optional",
      consentVersion: null,
    });
    expect(intakeRulesOf({ prechat: [NAME], offlineEmail: "off" }, false)).toEqual({
      fields: [NAME],
      away: false,
      offlineEmail: "off",
      consentVersion: null,
    });
  });

  it("asks agreement to the notice's version only when the owner requires it", () => {
    expect(intakeRulesOf({ privacy: { text: "We keep chats.", version: 4 } }, false).consentVersion).toBeNull();
    expect(
      intakeRulesOf({ privacy: { text: "We keep chats.", requireConsent: true, version: 4 } }, false).consentVersion,
    ).toBe(4);
  });
});

describe("asksOfflineEmail", () => {
  it.each([
    [
      "nobody online, optional",
      { fields: [], away: true, offlineEmail: "optional" as const, consentVersion: null },
      true,
    ],
    [
      "nobody online, required",
      { fields: [], away: true, offlineEmail: "required" as const, consentVersion: null },
      true,
    ],
    ["nobody online, off", { fields: [], away: true, offlineEmail: "off" as const, consentVersion: null }, false],
    ["an agent online", { fields: [], away: false, offlineEmail: "required" as const, consentVersion: null }, false],
    [
      "the form asks for it already",
      { fields: [EMAIL], away: true, offlineEmail: "required" as const, consentVersion: null },
      false,
    ],
  ])("%s: %s", (_case, rules, asks) => {
    expect(asksOfflineEmail(rules)).toBe(asks);
  });
});

describe("readIntake", () => {
  const rules = { fields: [NAME, EMAIL, TOPIC], away: false, offlineEmail: "optional" as const, consentVersion: null };

  it("takes answers in the form's order, trimmed, leaving out what was not given", () => {
    expect(readIntake(rules, { prechat: { answers: [" Ada ", "", "Delivery"] } })).toEqual({
      ok: true,
      intake: { name: "Ada", email: null, answers: [{ label: "Topic", value: "Delivery" }], consentVersion: null },
    });
  });

  it.each([
    ["a missing required answer", [], 0, "required"],
    ["an address without a domain", ["Ada", "ada@"], 1, "email"],
    ["a choice not offered", ["Ada", "", "Refunds"], 2, "choice"],
    ["a zero-width space in a name", ["A\u200Bda"], 0, "unreadable"],
  ] as const)("reports %s as the field's problem", (_case, answers, field, code) => {
    const result = readIntake(rules, { prechat: { answers } });
    expect(result.ok ? null : { field: result.problem.field, code: result.problem.code }).toEqual({ field, code });
  });

  it("keeps the offline email only when it was asked", () => {
    const away = { fields: [], away: true, offlineEmail: "optional" as const, consentVersion: null };
    expect(readIntake(away, { email: "Ada@Example.com" })).toEqual({
      ok: true,
      intake: { name: null, email: "ada@example.com", answers: [], consentVersion: null },
    });
    expect(readIntake({ ...away, away: false }, { email: "ada@example.com" })).toEqual({
      ok: true,
      intake: { name: null, email: null, answers: [], consentVersion: null },
    });
  });

  it("takes agreement to the notice's current version only", () => {
    const asking = { fields: [], away: false, offlineEmail: "optional" as const, consentVersion: 2 };
    for (const consent of [undefined, { version: 1 }, { version: 3 }]) {
      const result = readIntake(asking, { consent });
      expect(result.ok ? null : result.problem, JSON.stringify(consent)).toMatchObject({
        field: "consent",
        code: "consent",
      });
    }
    expect(readIntake(asking, { consent: { version: 2 } })).toEqual({
      ok: true,
      intake: { name: null, email: null, answers: [], consentVersion: 2 },
    });
  });
});
