// What a save of the policy document changed, field by field, for the audit: "countries.mode off →
// block". Pure, so the server writes it and the console reads it with the same names.

/** One changed field: its dotted path in the document and its values before and after (absent: null). */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The fields that differ between two documents, in path order. Objects are walked into (an absent
 * one as empty); arrays and scalars are compared whole (a country list is one field, its value the list).
 * @example policyChanges({ countries: { mode: "off" } }, { countries: { mode: "block" } })
 *   // [{ field: "countries.mode", before: "off", after: "block" }]
 */
export function policyChanges(before: unknown, after: unknown, path = ""): FieldChange[] {
  // A section added or removed whole is walked into too, so each of its fields is named.
  const absent = (value: unknown) => value === undefined || value === null;
  if (
    (isRecord(before) || absent(before)) &&
    (isRecord(after) || absent(after)) &&
    !(absent(before) && absent(after))
  ) {
    const from = isRecord(before) ? before : {};
    const to = isRecord(after) ? after : {};
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((key) => policyChanges(from[key], to[key], path ? `${path}.${key}` : key));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ field: path, before: before ?? null, after: after ?? null }];
}
