// Saves bytes the widget fetched (with the ticket, which no link can carry) as a file on the visitor's
// device: a blob URL, clicked as a download link and let go once the download has it.

/**
 * How long the blob URL outlives the click: the download reads it after the click returns, and some
 * browsers long after (FileSaver.js keeps it 40 s for that reason).
 */
const KEEP_URL_MS = 40_000;

/** Offers `blob` for saving under `name`; the page does not navigate. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), KEEP_URL_MS);
}
