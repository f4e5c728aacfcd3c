// File categories, the owner's presets over them, and the check of a category against a file policy.
// A file's category is decided by policy/file-kind/ from its bytes; this module only names them.

/** Every category a detected file can fall in. `other` is "not positively identified". */
export const CATEGORIES = [
  "image",
  "document",
  "archive",
  "audio",
  "video",
  "text",
  "executable",
  "script",
  "other",
] as const;

export type Category = (typeof CATEGORIES)[number];

/** Categories that can hurt an agent who opens the file; the console marks them dangerous. */
export const DANGEROUS_CATEGORIES: readonly Category[] = ["executable", "script", "other"];

/** The three presets of DESIGN.md "File policy". `safe` is the default of a new account. */
export const PRESETS = {
  all: [...CATEGORIES],
  safe: ["image", "audio", "video", "text"],
  images: ["image"],
} as const satisfies Record<string, readonly Category[]>;

export type PresetName = keyof typeof PRESETS;

/** 10 MiB, the default upload limit of a new account. */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The preset whose categories are exactly `categories`, if any (order does not matter). */
export function presetOf(categories: readonly Category[]): PresetName | null {
  const wanted = new Set(categories);
  for (const [name, list] of Object.entries(PRESETS) as [PresetName, readonly Category[]][]) {
    if (list.length === wanted.size && list.every((c) => wanted.has(c))) return name;
  }
  return null;
}

/** Whether a file of `category` may be sent under `allowed`. `other` passes only when listed. */
export function isCategoryAllowed(category: Category, allowed: readonly Category[]): boolean {
  return allowed.includes(category);
}

/**
 * Image types a browser renders without running anything, so the console may show them inline.
 * SVG is not here: it can carry script (DESIGN.md "File policy"), and is category `script` anyway.
 */
const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set([
  "image/png", // RFC 2083, W3C PNG
  "image/jpeg", // RFC 2046, ITU T.81
  "image/gif", // RFC 2046
  "image/webp", // RFC 9649
  "image/bmp", // IANA image/bmp
  "image/avif", // AV1 Image File Format, AOM
]);

/** Whether a file may be shown as an image: its bytes said image, and its type is a raster one browsers draw. */
export function isInlineImage(file: { category: string; mime: string }): boolean {
  return file.category === "image" && INLINE_IMAGE_TYPES.has(file.mime);
}
