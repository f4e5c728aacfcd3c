// Times as the console shows them. Sizes come from policy/file-messages.ts and country names from
// policy/country.ts, so the console says them as the widget and the verdict's reasons do.

/** A stored ISO time in the agent's locale and time zone; "—" when there is none. */
export function formatTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : "—";
}
