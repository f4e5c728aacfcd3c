// The Tor exit list: read in the bulk exit list's format, tolerant of an operator's hand, bounded,
// and re-read when the file changes or first appears.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it, test, vi } from "vitest";
import { parseIp, type IpAddress } from "../../../policy/ip";
import { watchTorExits, type TorExits } from "../../../server/networks/tor-exits";

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/tor/exit-addresses.txt");
const scratch = mkdtempSync(join(tmpdir(), "hatch-tor-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const watched: TorExits[] = [];
afterEach(() => {
  for (const exits of watched.splice(0)) exits.close();
});

/** Watches `path`, checking every 10 ms so that the tests see changes at once. */
function watch(path: string | null, maxAddresses?: number): TorExits {
  const exits = watchTorExits(path, { intervalMs: 10, maxAddresses });
  watched.push(exits);
  return exits;
}

async function loaded(exits: TorExits): Promise<void> {
  await vi.waitFor(() => expect(exits.status.loadedAt).not.toBeNull());
}

function ip(text: string): IpAddress {
  const parsed = parseIp(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.address;
}

describe("a Tor exit list in the bulk exit list's format", () => {
  test.each([
    ["192.0.2.1", true, "a listed address"],
    ["192.0.2.2", true, "one listed with spaces around it"],
    ["198.51.100.7", true, "one listed with a comment after it"],
    ["2001:db8::1", true, "a listed IPv6 address"],
    ["2001:db8:0:0::1", true, "a listed IPv6 address written another way"],
    ["203.0.113.9", true, "one listed as IPv4-mapped IPv6"],
    ["::ffff:192.0.2.1", true, "a listed IPv4 address asked as IPv4-mapped IPv6"],
    ["192.0.2.3", false, "an address not listed"],
    ["198.51.100.8", false, "an address in a network written as a line, which is not an address"],
    ["2001:db8::2", false, "an IPv6 address not listed"],
  ])("says %s is an exit: %s (%s)", async (address, listed) => {
    const exits = watch(FIXTURE);
    await loaded(exits);
    expect(exits.has(ip(address))).toBe(listed);
  });

  it("counts the addresses and the malformed lines it skipped", async () => {
    const exits = watch(FIXTURE);
    await loaded(exits);
    expect(exits.status).toEqual({
      file: "exit-addresses.txt",
      addresses: 5,
      skipped: 4,
      error: null,
      loadedAt: expect.any(Number),
    });
  });

  it("keeps at most the bound and says that it ignored the rest", async () => {
    const exits = watch(FIXTURE, 3);
    await loaded(exits);
    expect(exits.status.addresses).toBe(3);
    expect(exits.status.error).toBe("exit-addresses.txt lists more than 3 addresses: the rest are ignored.");
    expect(exits.has(ip("198.51.100.7"))).toBe(true);
    expect(exits.has(ip("2001:db8::1"))).toBe(false);
  });
});

describe("a Tor exit list that changes", () => {
  it("is read again when the file is rewritten", async () => {
    const path = join(scratch, "rewritten.txt");
    writeFileSync(path, "192.0.2.1\n");
    const exits = watch(path);
    await vi.waitFor(() => expect(exits.has(ip("192.0.2.1"))).toBe(true));
    writeFileSync(path, "192.0.2.200\n2001:db8::200\n");
    await vi.waitFor(() => expect(exits.has(ip("192.0.2.200"))).toBe(true));
    expect(exits.has(ip("192.0.2.1"))).toBe(false);
    expect(exits.status.addresses).toBe(2);
  });

  it("is read again when a new file is moved over it", async () => {
    const path = join(scratch, "replaced.txt");
    writeFileSync(path, "192.0.2.1\n");
    const exits = watch(path);
    await vi.waitFor(() => expect(exits.has(ip("192.0.2.1"))).toBe(true));
    copyFileSync(FIXTURE, `${path}.tmp`);
    renameSync(`${path}.tmp`, path);
    await vi.waitFor(() => expect(exits.has(ip("2001:db8::1"))).toBe(true));
  });

  it("says why when the file is missing, and starts working once it appears", async () => {
    const path = join(scratch, "later.txt");
    const exits = watch(path);
    await loaded(exits);
    expect(exits.status.error).toBe("later.txt could not be read: ENOENT.");
    expect(exits.has(ip("192.0.2.1"))).toBe(false);
    writeFileSync(path, "192.0.2.1\n");
    await vi.waitFor(() => expect(exits.has(ip("192.0.2.1"))).toBe(true));
    expect(exits.status.error).toBeNull();
  });

  it("keeps the list in use when a refresh finds no address in the file, and says so", async () => {
    const path = join(scratch, "broken-refresh.txt");
    writeFileSync(path, "192.0.2.1\n192.0.2.2\n");
    const exits = watch(path);
    await vi.waitFor(() => expect(exits.status.addresses).toBe(2));
    writeFileSync(path, "<html>Service unavailable</html>\n");
    await vi.waitFor(() => expect(exits.status.error).not.toBeNull());
    expect(exits.status.error).toBe(
      "broken-refresh.txt holds no addresses (1 line is not an address): the previous list of 2 exits stays in use.",
    );
    expect(exits.has(ip("192.0.2.1"))).toBe(true);
  });

  it("says a list holding nothing but junk is wrong, rather than quietly listing no exit", async () => {
    const path = join(scratch, "junk.txt");
    writeFileSync(path, Buffer.from([0, 1, 2, 255, 10, 0x41, 10]));
    const exits = watch(path);
    await loaded(exits);
    expect(exits.status.error).toBe("junk.txt holds no addresses (2 lines are not addresses).");
  });

  it("refuses a file far larger than any Tor list without reading it", async () => {
    const path = join(scratch, "huge.txt");
    writeFileSync(path, Buffer.alloc(17 * 1024 * 1024, 0x41));
    const exits = watch(path);
    await loaded(exits);
    expect(exits.status).toMatchObject({ addresses: 0, error: "huge.txt is larger than 16 MiB: not a Tor exit list." });
  });

  it("is no longer read after close()", async () => {
    const path = join(scratch, "closed.txt");
    writeFileSync(path, "192.0.2.1\n");
    const exits = watch(path);
    await vi.waitFor(() => expect(exits.has(ip("192.0.2.1"))).toBe(true));
    exits.close();
    writeFileSync(path, "192.0.2.200\n");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(exits.has(ip("192.0.2.200"))).toBe(false);
  });
});

describe("no Tor exit list", () => {
  it("lists no exit and says there is no list", () => {
    const exits = watch(null);
    expect(exits.has(ip("192.0.2.1"))).toBe(false);
    expect(exits.status).toEqual({
      file: null,
      addresses: 0,
      skipped: 0,
      error: "TOR_EXIT_LIST is not set: there is no list of Tor exits.",
      loadedAt: null,
    });
  });
});

describe("the watcher", () => {
  it("does not keep the process alive", () => {
    const module = join(dirname(fileURLToPath(import.meta.url)), "../../../server/networks/tor-exits.ts");
    const code = `const { watchTorExits } = await import(${JSON.stringify(module)}); watchTorExits(${JSON.stringify(FIXTURE)});`;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
      timeout: 10_000,
    });
    expect(run.stderr.toString()).toBe("");
    expect(run.status).toBe(0);
  });
});
