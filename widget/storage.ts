// The page's localStorage, which may be missing or throw (sandboxed frames, some privacy modes):
// then nothing is remembered and the visitor simply starts afresh on the next page load.

/** Where the visitor's open chat (its id and secret, chat-memory.ts) is kept: a page that loads with one follows it. */
export const conversationKey = (account: string): string => `hatch:${account}:conversation`;

/** The value stored under `key`, or null when there is none or storage is unavailable. */
export function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Stores `value` under `key`; null forgets it. */
export function writeStored(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Nothing to do: see the module's note.
  }
}
