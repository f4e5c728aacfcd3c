// What an inspection throws when a file may not be kept, and the limits every archive walk shares.

import type { InspectionRefusal } from "../../../policy/file-messages";

type RefusalCode = InspectionRefusal["code"];

/** A file refused for what it holds; uploads.ts answers it as a 415 with the code and the message. */
export class Refusal extends Error {
  constructor(readonly refusal: InspectionRefusal) {
    super(refusal.code);
  }
}

/** Refuses the file `name` for `code`: macros, active content, encryption or a bomb. */
export function refuse(code: Exclude<RefusalCode, "archive_content">, name: string): never {
  throw new Refusal({ code, name });
}

/** Refuses the archive `name` for one of its entries: one the policy refuses, one too deep to open, or damage. */
export function refuseEntry(name: string, entry: string, why: "refused" | "nested" | "damaged"): never {
  throw new Refusal({ code: "archive_content", name, entry, why });
}
