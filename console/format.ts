// Small formatters for sizes, times and country names.

/** `1.5 MB`, `820 KB`, `12 bytes` (decimal units, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 100) / 10} KB`;
  return `${Math.round(bytes / 100_000) / 10} MB`;
}

export function formatTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : "—";
}

const regions = new Intl.DisplayNames(["en"], { type: "region" });

/** `Germany` for `DE`; the code itself if the runtime has no name for it. */
export function countryName(code: string): string {
  return regions.of(code) ?? code;
}
