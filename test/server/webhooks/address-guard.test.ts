// Which addresses a webhook may reach: special ranges refused by name, IPv4 inside IPv6 judged as the
// IPv4 it carries, and every address a name resolves to checked, not the name.
import type { LookupAddress } from "node:dns";
import { describe, expect, it, test } from "vitest";
import { parseIp } from "../../../policy/ip";
import { checkDestination, pinnedLookup, specialRange } from "../../../server/webhooks/address-guard";

function rangeOf(text: string) {
  const parsed = parseIp(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return specialRange(parsed.address);
}

const resolvesTo =
  (...addresses: string[]) =>
  async (): Promise<LookupAddress[]> =>
    addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

describe("specialRange", () => {
  test.each([
    ["127.0.0.1", "loopback", "127.0.0.0/8"],
    ["127.255.255.254", "loopback", "127.0.0.0/8"],
    ["10.1.2.3", "private", "10.0.0.0/8"],
    ["172.16.0.1", "private", "172.16.0.0/12"],
    ["172.31.255.255", "private", "172.16.0.0/12"],
    ["192.168.1.1", "private", "192.168.0.0/16"],
    ["169.254.169.254", "link-local", "169.254.0.0/16"],
    ["100.64.0.1", "shared address space (CGNAT)", "100.64.0.0/10"],
    ["100.127.255.255", "shared address space (CGNAT)", "100.64.0.0/10"],
    ["0.0.0.0", "this network", "0.0.0.0/8"],
    ["224.0.0.251", "multicast", "224.0.0.0/4"],
    ["255.255.255.255", "reserved", "240.0.0.0/4"],
    ["198.18.0.1", "benchmarking", "198.18.0.0/15"],
    ["::", "unspecified", "::/128"],
    ["::1", "loopback", "::1/128"],
    ["fe80::1", "link-local", "fe80::/10"],
    ["febf::1", "link-local", "fe80::/10"],
    ["fc00::1", "unique-local", "fc00::/7"],
    ["fd12:3456:789a::1", "unique-local", "fc00::/7"],
    ["ff02::1", "multicast", "ff00::/8"],
    ["fec0::1", "site-local (deprecated)", "fec0::/10"],
    ["::ffff:127.0.0.1", "loopback", "127.0.0.0/8"],
    ["::ffff:10.0.0.1", "private", "10.0.0.0/8"],
    ["::ffff:a9fe:a9fe", "link-local", "169.254.0.0/16"],
    ["::a00:1", "IPv4-compatible (deprecated)", "::/96"],
    ["64:ff9b::a9fe:a9fe", "link-local", "169.254.0.0/16"], // NAT64 of the metadata address
    ["64:ff9b:1::1", "local-use NAT64", "64:ff9b:1::/48"],
    ["2002:c0a8:101::1", "private", "192.168.0.0/16"], // 6to4 of 192.168.1.1
    ["2001::1", "Teredo", "2001::/32"],
    ["2001:db8::1", "documentation", "2001:db8::/32"],
    ["100::1", "discard-only", "100::/64"],
    ["4000::1", "not global unicast", "outside 2000::/3"],
  ])("refuses %s as %s (%s)", (address, name, network) => {
    expect(rangeOf(address)).toEqual({ name, network });
  });

  test.each([
    "8.8.8.8",
    "93.184.215.14",
    "172.32.0.1",
    "100.128.0.1",
    "192.169.0.1",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
  ])("lets %s through", (address) => {
    expect(rangeOf(address)).toBeNull();
  });
});

describe("checkDestination", () => {
  it("gives the address to connect to for a public name", async () => {
    const destination = await checkDestination("https://hooks.example.com/in", {
      allowPrivate: false,
      resolve: resolvesTo("2606:4700:4700::1111", "93.184.215.14"),
    });
    expect(destination).toMatchObject({ ok: true, address: "2606:4700:4700::1111", family: 6 });
  });

  test.each([
    ["only a private address", ["192.168.0.10"]],
    ["a private address among public ones", ["93.184.215.14", "10.0.0.1"]],
    ["an IPv4-mapped loopback", ["::ffff:127.0.0.1"]],
    ["a link-local address with a zone id", ["fe80::1%eth0"]],
  ])("refuses a name that resolves to %s", async (_case, addresses) => {
    const destination = await checkDestination("https://hooks.example.com/in", {
      allowPrivate: false,
      resolve: resolvesTo(...addresses),
    });
    expect(destination).toMatchObject({ ok: false, code: "address_refused" });
  });

  test.each([
    ["https://[::1]:8443/", "address_refused"],
    ["https://0x7f.1/", "address_refused"], // the URL parser makes it 127.0.0.1
    ["https://169.254.169.254/latest/meta-data/", "address_refused"],
    ["http://93.184.215.14/", "url_scheme"],
    ["ftp://93.184.215.14/", "url_scheme"],
    ["https://user:secret@93.184.215.14/", "url_credentials"],
    ["not a url", "url_invalid"],
  ])("refuses %s (%s) without resolving a literal", async (url, code) => {
    const destination = await checkDestination(url, {
      allowPrivate: false,
      resolve: () => Promise.reject(new Error("a literal was resolved")),
    });
    expect(destination).toMatchObject({ ok: false, code });
  });

  it("says why a name that does not resolve is refused", async () => {
    const destination = await checkDestination("https://nowhere.example.com/", {
      allowPrivate: false,
      resolve: () => Promise.reject(Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" })),
    });
    expect(destination).toEqual({
      ok: false,
      code: "dns_failed",
      message: "nowhere.example.com could not be resolved (ENOTFOUND).",
    });
  });

  it("allows private addresses and plain http with allowPrivate", async () => {
    const destination = await checkDestination("http://hooks.internal:8080/in", {
      allowPrivate: true,
      resolve: resolvesTo("10.0.0.7"),
    });
    expect(destination).toMatchObject({ ok: true, address: "10.0.0.7", family: 4 });
  });
});

describe("pinnedLookup", () => {
  it("answers the checked address in both of the shapes Node asks for", () => {
    const lookup = pinnedLookup("203.0.113.9", 4);
    const answers: unknown[] = [];
    lookup("rebound.example.com", { all: true }, (_error, address) => answers.push(address));
    lookup("rebound.example.com", {}, (_error, address, family) => answers.push([address, family]));
    expect(answers).toEqual([[{ address: "203.0.113.9", family: 4 }], ["203.0.113.9", 4]]);
  });
});
