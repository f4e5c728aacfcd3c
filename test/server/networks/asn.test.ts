// The AS table: CSV rows in both layouts of @ip-location-db/asn, MMDBs of every record size, the
// errors an operator sees for a bad ASN_DB, and the bundled data itself.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, test } from "vitest";
import { parseIp, type IpAddress } from "../../../policy/ip";
import { loadAsnTable, type AsnTable } from "../../../server/networks/asn";
import { writeMmdb, type MmdbOptions } from "../../fixtures/asn/write-mmdb";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/asn");
const scratch = mkdtempSync(join(tmpdir(), "hatch-asn-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function ip(text: string): IpAddress {
  const parsed = parseIp(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.address;
}

function asnOf(table: AsnTable, address: string): number | null {
  return table.lookup(ip(address))?.asn ?? null;
}

/** A file in the scratch folder with `text` in it; its path. */
function scratchFile(name: string, text: string | Buffer): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe("an ASN CSV with addresses (asn-ipv4.csv, asn-ipv6.csv)", () => {
  let table: AsnTable;
  beforeAll(async () => {
    table = await loadAsnTable(join(FIXTURES, "asn.csv"));
  });

  test.each([
    ["1.0.0.0", 13335, "the first address of a range"],
    ["1.0.0.255", 13335, "the last address of a range"],
    ["1.0.4.0", 38803, "the first address of the next range"],
    ["3.16.0.1", 16509, "an address inside a wide range"],
    ["::ffff:1.0.0.1", 13335, "an IPv4-mapped IPv6 address, as IPv4"],
    ["2001:200::", 2500, "the first IPv6 address of a range"],
    ["2001:200:1b9:ffff:ffff:ffff:ffff:ffff", 2500, "the last IPv6 address of a range"],
    ["2a01:4f9:1234::1", 24940, "an IPv6 address inside a range"],
  ])("finds %s in AS%i (%s)", (address, asn) => {
    expect(asnOf(table, address)).toBe(asn);
  });

  test.each([
    ["1.0.1.0", "between two ranges"],
    ["0.0.0.0", "before the first range"],
    ["255.255.255.255", "after the last range"],
    ["2001:200:1ba::", "between two IPv6 ranges"],
    ["2001:db8::1", "in IPv6 space no range covers"],
  ])("finds no AS for %s (%s)", (address) => {
    expect(table.lookup(ip(address))).toBeNull();
  });

  test.each([
    ["198.51.100.63", 64496, "the outer range just before a range inside it"],
    ["198.51.100.64", 64497, "the inner range"],
    ["198.51.100.127", 64497, "the inner range's last address"],
    ["198.51.100.128", 64496, "the outer range again after the inner one"],
    ["215.0.0.0", 721, "where two ranges overlap, the later one"],
    ["214.255.255.255", 749, "the earlier range before the overlap"],
    ["215.1.0.0", 721, "the later range past the earlier one's end"],
  ])("resolves nested and overlapping ranges: %s is AS%i (%s)", (address, asn) => {
    expect(asnOf(table, address)).toBe(asn);
  });

  test.each([
    [13335, "Cloudflare, Inc."],
    [201907, 'LLC "SPUTNIK"'],
    [328903, expect.stringMatching(/^Réseau Ivoirien de Télécommunication pour l'Enseignement/)],
    [24940, "Hetzner Online GmbH"],
  ])("names AS%i from its CSV-quoted, UTF-8 name", (asn, name) => {
    expect(table.name(asn)).toEqual(name);
  });

  it("answers the AS with its name and counts every range", () => {
    expect(table.lookup(ip("2.58.100.1"))).toEqual({ asn: 3320, name: "Deutsche Telekom AG" });
    expect(table.name(64511)).toBeNull();
    expect(table.ranges).toBe(12);
  });
});

describe("an ASN CSV with integers (asn-ipv4-num.csv, asn-ipv6-num.csv)", () => {
  let table: AsnTable;
  beforeAll(async () => {
    table = await loadAsnTable(join(FIXTURES, "asn-num.csv"));
  });

  test.each([
    ["1.0.0.1", 13335],
    ["1.0.7.255", 38803],
    ["2.26.200.0", 201907],
    ["3.29.255.255", 16509],
    ["2001:200:1b9::1", 2500],
    ["2a01:4f8::1", 24940],
    ["1.0.8.0", null],
    ["2001:db8::1", null],
  ])("finds %s in AS%s, integers up to 2^32 − 1 being IPv4", (address, asn) => {
    expect(asnOf(table, address)).toBe(asn);
  });

  it("names the AS from a doubled-quote name and counts the ranges of both versions", () => {
    expect(table.name(201907)).toBe('LLC "SPUTNIK"');
    expect(table.ranges).toBe(6);
  });

  it("reads CRLF line ends, blank lines and a last line without a newline", async () => {
    const path = scratchFile(
      "crlf.csv",
      '16777216,16777471,13335,"Cloudflare, Inc."\r\n\r\n16778240,16779263,38803,Gtelecom',
    );
    const crlf = await loadAsnTable(path);
    expect(crlf.lookup(ip("1.0.0.1"))).toEqual({ asn: 13335, name: "Cloudflare, Inc." });
    expect(crlf.lookup(ip("1.0.4.1"))).toEqual({ asn: 38803, name: "Gtelecom" });
  });
});

describe("a malformed ASN CSV", () => {
  it("is refused, naming the file and the line", async () => {
    const path = join(FIXTURES, "bad-line.csv");
    await expect(loadAsnTable(path)).rejects.toThrow(
      `ASN data "${path}" line 3: "1.0.16" has 3 parts: an IPv4 address has exactly four numbers separated by dots.`,
    );
  });

  test.each([
    ["1.0.0.0,1.0.0.255,13335", "line 1: expected four fields: start,end,asn,name"],
    ["1.0.0.0,1.0.0.255,AS13335,Cloudflare", 'line 1: "AS13335" is not an AS number'],
    ["1.0.0.0,1.0.0.255,4294967296,Too large", 'line 1: "4294967296" is not an AS number'],
    ["01.0.0.0,1.0.0.255,13335,Cloudflare", 'line 1: "01" has a leading zero'],
    ["1.0.0.255,1.0.0.0,13335,Cloudflare", "line 1: the range ends before it starts"],
    ["1.0.0.0,2001:db8::,13335,Cloudflare", "line 1: the start and end of the range are not of one IP version"],
    ["0,4294967296,1,Straddles IPv4 and IPv6", "line 1: the start and end of the range are not of one IP version"],
    [`1,${2n ** 128n},1,Too large`, `line 1: ${2n ** 128n} is too large for an IPv6 address`],
    ["1.0.4.0,1.0.7.255,38803,Gtelecom\n1.0.0.0,1.0.0.255,13335,Cloudflare", "line 2: the range starts before"],
    ['1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc.', "line 1: the name is not a CSV field"],
    ['1.0.0.0,1.0.0.255,13335,"Cloudflare "the" Inc."', "line 1: the name is not a CSV field"],
    ["1.0.0.0,1.0.0.255,13335,Cloudflare, Inc.", "line 1: the name is not a CSV field"],
  ])("refuses %j: %s", async (text, message) => {
    await expect(loadAsnTable(scratchFile("bad.csv", text))).rejects.toThrow(message);
  });

  it("is refused when it cannot be read, naming the file", async () => {
    const path = join(scratch, "missing.csv");
    await expect(loadAsnTable(path)).rejects.toThrow(`ASN data "${path}" could not be read: ENOENT`);
  });
});

const AS = (asn: number, org: string) => ({ autonomous_system_number: asn, autonomous_system_organization: org });

describe.each<[string, MmdbOptions]>([
  ["an IPv6 MMDB with 24-bit records and MaxMind's aliases", { ipVersion: 6, recordSize: 24, aliases: true }],
  // Padding puts the records past 2^24, so the top bits of 28-bit records are read too.
  ["an IPv6 MMDB with 28-bit records", { ipVersion: 6, recordSize: 28, dataPadding: 2 ** 24 }],
  ["an IPv6 MMDB with 32-bit records", { ipVersion: 6, recordSize: 32, dataPadding: 2 ** 24 }],
  ["an IPv4 MMDB", { ipVersion: 4, recordSize: 24 }],
])("%s (GeoLite2-ASN records)", (_name, options) => {
  let table: AsnTable;
  beforeAll(async () => {
    const networks: Parameters<typeof writeMmdb>[0] = [
      ["1.0.0.0/24", AS(13335, "Cloudflare, Inc.")],
      // A /22 ends in a 1 bit: its record is a node's right one, the others' left ones.
      ["1.0.4.0/22", AS(38803, "Gtelecom Pty Ltd")],
      ["3.0.0.0/9", AS(16509, "Amazon.com, Inc.")],
      ["3.128.0.0/9", AS(16509, "Amazon.com, Inc.")],
    ];
    if (options.ipVersion === 6) networks.push(["2a01:4f8::/31", AS(24940, "Hetzner Online GmbH")]);
    table = await loadAsnTable(
      scratchFile(`asn-${options.recordSize}-v${options.ipVersion}.mmdb`, writeMmdb(networks, options)),
    );
  });

  test.each([
    ["1.0.0.0", 13335],
    ["1.0.0.255", 13335],
    ["1.0.4.0", 38803],
    ["1.0.7.255", 38803],
    ["3.255.255.255", 16509],
    ["::ffff:1.0.0.1", 13335],
    ["1.0.1.0", null],
    ["4.0.0.0", null],
  ])("finds %s in AS%s", (address, asn) => {
    expect(asnOf(table, address)).toBe(asn);
  });

  it("names each AS and counts each network once", () => {
    expect(table.name(38803)).toBe("Gtelecom Pty Ltd");
    expect(table.ranges).toBe(options.ipVersion === 6 ? 5 : 4);
  });

  it("finds IPv6 networks (an IPv4 tree has none), and no 6to4 address through an alias", () => {
    const hetzner = options.ipVersion === 6 ? 24940 : null;
    expect(asnOf(table, "2a01:4f8::1")).toBe(hetzner);
    expect(asnOf(table, "2a01:4f9:ffff:ffff:ffff:ffff:ffff:ffff")).toBe(hetzner);
    expect(asnOf(table, "2a01:4fa::")).toBeNull();
    // 2002:100:1:: is 6to4 for 1.0.0.1; the alias that leads there is not followed.
    expect(asnOf(table, "2002:100:1::")).toBeNull();
  });
});

describe("a bad MMDB", () => {
  it("is refused when it is not an MMDB", async () => {
    const path = scratchFile("not.mmdb", "1.0.0.0,1.0.0.255,13335,Cloudflare\n");
    await expect(loadAsnTable(path)).rejects.toThrow(`ASN data "${path}" could not be read as an MMDB file`);
  });

  it("is refused when its records are not ASN records", async () => {
    const path = scratchFile(
      "country.mmdb",
      writeMmdb([["1.0.0.0/24", { country_code: "AU" }]], { ipVersion: 6, recordSize: 24 }),
    );
    await expect(loadAsnTable(path)).rejects.toThrow(
      `ASN data "${path}": the record for 1.0.0.0 has no autonomous_system_number; is it a GeoLite2-ASN database?`,
    );
  });
});

describe("the bundled @ip-location-db/asn data", () => {
  let table: AsnTable;
  beforeAll(async () => {
    table = await loadAsnTable(null);
  });

  it("puts 1.0.0.1 in AS13335, Cloudflare", () => {
    expect(table.lookup(ip("1.0.0.1"))).toEqual({ asn: 13335, name: "Cloudflare, Inc." });
  });

  it("puts an Amazon address in AS16509", () => {
    // asn-ipv4.csv: 3.5.32.0,3.29.255.255,16509,"Amazon.com, Inc."
    expect(table.lookup(ip("3.16.0.1"))).toEqual({ asn: 16509, name: "Amazon.com, Inc." });
  });

  it("holds both files' ranges and finds IPv6", () => {
    expect(table.ranges).toBeGreaterThan(500_000);
    expect(asnOf(table, "2a01:4f8::1")).toBe(24940);
    expect(table.name(3320)).toBe("Deutsche Telekom AG");
  });
});
