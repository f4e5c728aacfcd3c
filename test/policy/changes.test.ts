// What a policy save changed, field by field: objects walked into, lists and scalars compared whole.
import { describe, expect, it } from "vitest";
import { policyChanges } from "../../policy/changes";
import { DEFAULT_POLICY } from "../../policy/schema";

describe("the changes of a policy save", () => {
  it.each([
    ["nothing", DEFAULT_POLICY, DEFAULT_POLICY, []],
    [
      "a mode",
      { countries: { mode: "off", list: [] } },
      { countries: { mode: "block", list: [] } },
      [{ field: "countries.mode", before: "off", after: "block" }],
    ],
    [
      "a list, as one field",
      { countries: { mode: "block", list: ["RU"] } },
      { countries: { mode: "block", list: ["RU", "CN"] } },
      [{ field: "countries.list", before: ["RU"], after: ["RU", "CN"] }],
    ],
    [
      "a section added, field by field, sorted",
      { files: { maxBytes: 1 } },
      { files: { maxBytes: 1 }, protection: { chatsPerHour: 3, banMinutes: 60 } },
      [
        { field: "protection.banMinutes", before: null, after: 60 },
        { field: "protection.chatsPerHour", before: null, after: 3 },
      ],
    ],
    [
      "a field removed (back to its default)",
      { protection: { chatsPerHour: 3 } },
      { protection: {} },
      [{ field: "protection.chatsPerHour", before: 3, after: null }],
    ],
  ])("lists %s", (_name, before, after, changes) => {
    expect(policyChanges(before, after)).toEqual(changes);
  });
});
