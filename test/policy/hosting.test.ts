// The hosting table: data with a source per entry, and the lookup the `hosting` switch uses.
import { describe, expect, it, test } from "vitest";
import { HOSTING_NETWORKS, isHostingAs } from "../../policy/hosting";

describe("the hosting table", () => {
  it("lists each AS once", () => {
    const asns = HOSTING_NETWORKS.map((network) => network.asn);
    expect(asns.filter((asn, i) => asns.indexOf(asn) !== i)).toEqual([]);
  });

  test.each(HOSTING_NETWORKS.map((network) => [network.asn, network]))(
    "names the organisation of AS%i and cites a source",
    (asn, network) => {
      expect(Number.isInteger(asn) && asn > 0 && asn < 2 ** 32).toBe(true);
      expect(network.org.trim()).not.toBe("");
      expect(network.source.trim()).not.toBe("");
    },
  );
});

describe("isHostingAs", () => {
  test.each([
    [16509, "Amazon (AWS)"],
    [14618, "Amazon (AWS)"],
    [396982, "Google Cloud"],
    [24940, "Hetzner"],
    [9009, "M247, where VPNs rent exits"],
  ])("takes AS%i (%s) for hosting", (asn) => {
    expect(isHostingAs(asn)).toBe(true);
  });

  test.each([
    [3320, "Deutsche Telekom, a residential ISP"],
    [15169, "Google's own AS, which carries Google Fi and Google's proxies"],
    [13335, "Cloudflare, which carries WARP and iCloud Private Relay users"],
    [6939, "Hurricane Electric, a transit network"],
    [0, "no AS"],
  ])("does not take AS%i (%s) for hosting", (asn) => {
    expect(isHostingAs(asn)).toBe(false);
  });
});
