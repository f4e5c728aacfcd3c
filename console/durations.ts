// How long a rule lasts, as the console offers it: a few usual durations, forever, or until a chosen time.

/** The durations offered, shortest first; `hours` null is forever. */
export const DURATIONS = [
  { id: "1h", label: "1 hour", hours: 1 },
  { id: "24h", label: "24 hours", hours: 24 },
  { id: "7d", label: "7 days", hours: 7 * 24 },
  { id: "30d", label: "30 days", hours: 30 * 24 },
  { id: "forever", label: "forever", hours: null },
] as const;

/** One of DURATIONS, or "until" a time the user picks. */
export type Duration = (typeof DURATIONS)[number]["id"] | "until";

/**
 * The expiry to send for a rule made at `now`: an ISO time, or null for forever (and for "until" with no time picked).
 * @example expiryOf("24h", "", Date.parse("2026-01-01T00:00:00Z")) // "2026-01-02T00:00:00.000Z"
 */
export function expiryOf(duration: Duration, until: string, now = Date.now()): string | null {
  if (duration === "until") return until ? new Date(until).toISOString() : null;
  const hours = DURATIONS.find((d) => d.id === duration)?.hours ?? null;
  return hours === null ? null : new Date(now + hours * 3_600_000).toISOString();
}
