// Hosting, cloud and VPN-infrastructure networks, by AS number: where the `hosting` switch hides
// visitors. Machines rent addresses here (proxies, scrapers, VPN exits); people browse from ISPs.
//
// Left out on purpose, since real people browse through them and a hidden chat cannot be appealed:
// - AS15169 Google LLC: Googlebot, but also Google Fi and Google's privacy proxies carrying phone
//   users; Google Cloud customers' machines are announced by AS396982, which is listed.
// - AS13335 Cloudflare: WARP (the 1.1.1.1 app, a consumer VPN) and iCloud Private Relay egress, so
//   Safari users with Private Relay on; also AS36183 Akamai, the other Private Relay egress.
// - AS6939 Hurricane Electric: a transit network; the addresses it originates itself include its
//   free IPv6 tunnel broker (2001:470::/32), used from home connections.
// An owner who wants any of them hidden adds an `as` rule. Every AS below is named for the same
// organisation in the bundled @ip-location-db/asn data (checked against version 2.3.2026061719).

/** One network the `hosting` switch hides. */
export interface HostingNetwork {
  asn: number;
  org: string;
  source: string;
}

/** The table, by kind of operator; `source` is where the AS's registration and announcements are shown. */
export const HOSTING_NETWORKS: readonly HostingNetwork[] = [
  // Cloud providers.
  { asn: 16509, org: "Amazon.com, Inc. (AWS)", source: "bgp.he.net/AS16509" },
  { asn: 14618, org: "Amazon.com, Inc. (AWS)", source: "bgp.he.net/AS14618" },
  { asn: 8987, org: "Amazon Data Services Ireland Ltd (AWS)", source: "bgp.he.net/AS8987" },
  { asn: 396982, org: "Google LLC (Google Cloud)", source: "bgp.he.net/AS396982" },
  { asn: 8075, org: "Microsoft Corporation (Azure)", source: "bgp.he.net/AS8075" },
  { asn: 31898, org: "Oracle Corporation (Oracle Cloud)", source: "bgp.he.net/AS31898" },
  { asn: 36351, org: "IBM Cloud (SoftLayer)", source: "bgp.he.net/AS36351" },
  { asn: 45102, org: "Alibaba (US) Technology Co., Ltd.", source: "bgp.he.net/AS45102" },
  { asn: 37963, org: "Hangzhou Alibaba Advertising Co.,Ltd. (Alibaba Cloud)", source: "bgp.he.net/AS37963" },
  { asn: 132203, org: "Shenzhen Tencent Computer Systems (Tencent Cloud)", source: "bgp.he.net/AS132203" },
  { asn: 45090, org: "Shenzhen Tencent Computer Systems (Tencent Cloud China)", source: "bgp.he.net/AS45090" },
  // Virtual and dedicated server hosting.
  { asn: 14061, org: "DigitalOcean, LLC", source: "bgp.he.net/AS14061" },
  { asn: 16276, org: "OVH SAS", source: "bgp.he.net/AS16276" },
  { asn: 24940, org: "Hetzner Online GmbH", source: "bgp.he.net/AS24940" },
  { asn: 63949, org: "Akamai Connected Cloud (Linode)", source: "bgp.he.net/AS63949" },
  { asn: 20473, org: "The Constant Company, LLC (Vultr, Choopa)", source: "bgp.he.net/AS20473" },
  { asn: 51167, org: "Contabo GmbH", source: "bgp.he.net/AS51167" },
  { asn: 40021, org: "Contabo Inc.", source: "bgp.he.net/AS40021" },
  { asn: 12876, org: "Scaleway SAS (Online SAS)", source: "bgp.he.net/AS12876" },
  { asn: 60781, org: "LeaseWeb Netherlands B.V.", source: "bgp.he.net/AS60781" },
  { asn: 16265, org: "LeaseWeb Network B.V.", source: "bgp.he.net/AS16265" },
  { asn: 28753, org: "Leaseweb Deutschland GmbH", source: "bgp.he.net/AS28753" },
  { asn: 30633, org: "Leaseweb USA, Inc.", source: "bgp.he.net/AS30633" },
  { asn: 47583, org: "Hostinger International Limited", source: "bgp.he.net/AS47583" },
  { asn: 8560, org: "IONOS SE", source: "bgp.he.net/AS8560" },
  { asn: 40676, org: "Psychz Networks", source: "bgp.he.net/AS40676" },
  { asn: 8100, org: "QuadraNet Enterprises LLC", source: "bgp.he.net/AS8100" },
  { asn: 36352, org: "ColoCrossing (HostPapa)", source: "bgp.he.net/AS36352" },
  { asn: 53667, org: "FranTech Solutions (BuyVM)", source: "bgp.he.net/AS53667" },
  { asn: 29802, org: "HIVELOCITY, Inc.", source: "bgp.he.net/AS29802" },
  { asn: 396356, org: "Latitude.sh (Maxihost)", source: "bgp.he.net/AS396356" },
  { asn: 19318, org: "Interserver, Inc", source: "bgp.he.net/AS19318" },
  { asn: 46606, org: "Unified Layer (Bluehost)", source: "bgp.he.net/AS46606" },
  { asn: 26347, org: "New Dream Network, LLC (DreamHost)", source: "bgp.he.net/AS26347" },
  { asn: 22612, org: "Namecheap, Inc.", source: "bgp.he.net/AS22612" },
  { asn: 398101, org: "GoDaddy.com, LLC", source: "bgp.he.net/AS398101" },
  { asn: 9370, org: "SAKURA Internet Inc.", source: "bgp.he.net/AS9370" },
  { asn: 49981, org: "WorldStream B.V.", source: "bgp.he.net/AS49981" },
  { asn: 43350, org: "NForce Entertainment B.V.", source: "bgp.he.net/AS43350" },
  { asn: 199524, org: "G-Core Labs S.A.", source: "bgp.he.net/AS199524" },
  // VPN infrastructure: hosting that VPN services run their exits in.
  { asn: 9009, org: "M247 Europe SRL", source: "bgp.he.net/AS9009" },
  { asn: 60068, org: "Datacamp Limited (CDN77)", source: "bgp.he.net/AS60068" },
  { asn: 212238, org: "Datacamp Limited (CDN77)", source: "bgp.he.net/AS212238" },
  { asn: 62240, org: "Clouvider Limited", source: "bgp.he.net/AS62240" },
  { asn: 136787, org: "PacketHub S.A.", source: "bgp.he.net/AS136787" },
  { asn: 207137, org: "PacketHub S.A.", source: "bgp.he.net/AS207137" },
];

const HOSTING_ASNS: ReadonlySet<number> = new Set(HOSTING_NETWORKS.map((network) => network.asn));

/** Whether an AS is a hosting, cloud or VPN-infrastructure network. @example isHostingAs(16509) // true */
export function isHostingAs(asn: number): boolean {
  return HOSTING_ASNS.has(asn);
}
