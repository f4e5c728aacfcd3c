// Small formatters for times and country names (sizes: policy/file-messages.ts, as the widget says them).

export function formatTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : "—";
}

const regions = new Intl.DisplayNames(["en"], { type: "region" });

/** `Germany` for `DE`; the code itself if the runtime has no name for it. */
export function countryName(code: string): string {
  return regions.of(code) ?? code;
}
