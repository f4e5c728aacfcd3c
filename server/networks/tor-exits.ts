// Tor exit addresses from the operator's TOR_EXIT_LIST file, in the format of the Tor Project's bulk
// exit list (https://check.torproject.org/torbulkexitlist), re-read whenever the file changes.

import { createReadStream, unwatchFile, watchFile } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { createInterface } from "node:readline";
import { parseIp, unmapIpv4, type IpAddress } from "../../policy/ip";
import { MAX_TOR_EXITS, MAX_TOR_LIST_BYTES } from "../limits";

interface Status {
  /** The list's file name (not its folder: the console is no place for the server's paths), or null when TOR_EXIT_LIST is not set. */
  file: string | null;
  addresses: number;
  /** Lines that are neither an address, a comment nor blank. */
  skipped: number;
  /** Why the list is missing or incomplete; null when it was read whole. */
  error: string | null;
  /** When the list in use was read (epoch milliseconds); null before the first read. */
  loadedAt: number | null;
}

export interface TorExits {
  /** Whether `ip` is a listed exit (IPv4-mapped IPv6 as IPv4); O(1). */
  has(ip: IpAddress): boolean;
  readonly status: Status;
  /** Stops watching the file. */
  close(): void;
}

interface Options {
  /** How often the file is checked for a change. */
  intervalMs?: number;
  /** Addresses kept at most; the rest of a longer list is ignored and the status says so. */
  maxAddresses?: number;
}

// The Tor Project refreshes its list about hourly; a stat() every 5 s costs nothing and shows an
// operator's fix quickly.
const INTERVAL_MS = 5_000;

interface ExitSet {
  v4: Set<number>;
  v6: Set<bigint>;
}

/**
 * Watches the list at `path` and answers from its latest read. Polls with fs.watchFile rather
 * than fs.watch: it notices a file that does not exist yet, and one replaced by a rename (how
 * `curl -o list.tmp … && mv list.tmp list` updates it), which an fs.watch on the old inode misses.
 * The poller is not persistent, so it never keeps the process alive.
 * @example watchTorExits(process.env.TOR_EXIT_LIST ?? null).has(visitor.address)
 */
export function watchTorExits(path: string | null, options: Options = {}): TorExits {
  if (path === null) {
    const error = "TOR_EXIT_LIST is not set: there is no list of Tor exits.";
    return {
      has: () => false,
      status: { file: null, addresses: 0, skipped: 0, error, loadedAt: null },
      close: () => {},
    };
  }
  const file = basename(path);
  let exits = noExits();
  let status: Status = { file, addresses: 0, skipped: 0, error: null, loadedAt: null };
  let generation = 0;
  const reload = () => {
    // A read that a newer one overtook, or one that ends after close(), is dropped.
    const current = ++generation;
    void readList(path, options.maxAddresses ?? MAX_TOR_EXITS).then(({ read, error, skipped }) => {
      if (current !== generation) return;
      const addresses = read.v4.size + read.v6.size;
      const held = exits.v4.size + exits.v6.size;
      // A refresh that went wrong (an error page saved as the list, a truncated download) must not
      // switch the Tor switch off: the list in use stays until a read finds addresses again.
      if (addresses === 0 && held > 0) {
        const why = error ?? emptyError(file, addresses, skipped) ?? `${file} has no addresses now`;
        status = { ...status, error: `${why.replace(/\.$/, "")}: the previous list of ${held} exits stays in use.` };
        return;
      }
      exits = read;
      status = { file, addresses, skipped, error: error ?? emptyError(file, addresses, skipped), loadedAt: Date.now() };
    });
  };
  // Called when the file's stat changes (its mtime, size or inode; not a mere read), and once at
  // the start if it does not exist.
  const onChange = () => reload();
  watchFile(path, { interval: options.intervalMs ?? INTERVAL_MS, persistent: false }, onChange);
  reload();
  return {
    has: (ip) => isListed(exits, unmapIpv4(ip)),
    get status() {
      return status;
    },
    close() {
      generation++;
      unwatchFile(path, onChange);
    },
  };
}

/** A list read whole but holding nothing usable is an error worth showing, not a quiet "0 exits". */
function emptyError(file: string, addresses: number, skipped: number): string | null {
  if (addresses > 0 || skipped === 0) return null;
  return `${file} holds no addresses (${skipped === 1 ? "1 line is not an address" : `${skipped} lines are not addresses`}).`;
}

function noExits(): ExitSet {
  return { v4: new Set(), v6: new Set() };
}

function isListed(exits: ExitSet, address: IpAddress): boolean {
  return address.version === 4 ? exits.v4.has(address.value) : exits.v6.has(address.value);
}

/** The addresses of the list; a file that cannot be read gives an empty list and says why. */
async function readList(
  path: string,
  maxAddresses: number,
): Promise<{ read: ExitSet; skipped: number; error: string | null }> {
  const read = noExits();
  let skipped = 0;
  const file = basename(path);
  const size = await stat(path).then(
    (found) => found.size,
    () => 0,
  );
  if (size > MAX_TOR_LIST_BYTES)
    return {
      read,
      skipped,
      error: `${file} is larger than ${MAX_TOR_LIST_BYTES / 1024 / 1024} MiB: not a Tor exit list.`,
    };
  const input = createReadStream(path);
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      // Blank lines and `#` comments are allowed around the addresses; the Tor Project's list has neither.
      const text = line.replace(/#.*/, "").trim();
      if (text === "") continue;
      const parsed = parseIp(text);
      if (!parsed.ok) {
        skipped++;
        continue;
      }
      const address = unmapIpv4(parsed.address);
      if (read.v4.size + read.v6.size >= maxAddresses && !isListed(read, address)) {
        const error = `${file} lists more than ${maxAddresses} addresses: the rest are ignored.`;
        return { read, skipped, error };
      }
      if (address.version === 4) read.v4.add(address.value);
      else read.v6.add(address.value);
    }
  } catch (error) {
    return {
      read: noExits(),
      skipped: 0,
      error: `${file} could not be read: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}.`,
    };
  } finally {
    // Leaving the loop early closes the line reader but not the file under it.
    input.destroy();
  }
  return { read, skipped, error: null };
}
