// The demo's fixed data: its account and users, the rules it starts with, and the visitor presets
// the host page offers. Addresses come from the documentation ranges (RFC 5737) and a private range.

/** The demo account; its users' passwords are fixed and printed, since this is a local QA demo. */
export const DEMO_ACCOUNT = { id: "demo", name: "Hatch demo shop" } as const;

export const DEMO_USERS = [
  { email: "owner@demo.test", role: "owner", password: "demo-owner-password" },
  { email: "agent@demo.test", role: "agent", password: "demo-agent-password" },
] as const;

/** The IP rule the demo creates, so the "a blocked IP" preset has something to hit. */
export const BLOCKED_IP = "203.0.113.66";
/** The countries rule the demo creates: block these. */
export const BLOCKED_COUNTRIES = ["RU"] as const;
/** The header the demo proxy sets and the chat server trusts from it, as a CDN's would be. */
export const DEMO_COUNTRY_HEADER = "x-demo-country";

export interface Visitor {
  ip: string;
  /** ISO 3166-1 alpha-2, or null: the header is left out and the server asks its GeoIP database. */
  country: string | null;
}

export interface VisitorPreset extends Visitor {
  id: string;
  label: string;
  /** What QA should see with this visitor on the host site. */
  expect: string;
  shown: boolean;
}

export const VISITOR_PRESETS: readonly VisitorPreset[] = [
  {
    id: "allowed",
    label: "An allowed visitor",
    ip: "192.0.2.10",
    country: "DE",
    shown: true,
    expect: "The chat button appears at the bottom right. Open it and write: the chat shows up in the console.",
  },
  {
    id: "blocked-ip",
    label: "A blocked IP",
    ip: BLOCKED_IP,
    country: "DE",
    shown: false,
    expect: `No chat at all: ${BLOCKED_IP} is on the account's IP rules. Nothing is added to the page.`,
  },
  {
    id: "blocked-country",
    label: "A blocked country",
    ip: "198.51.100.5",
    country: "RU",
    shown: false,
    expect: "No chat at all: the country rule blocks RU (Russia).",
  },
  {
    id: "unknown-country",
    label: "Unknown country",
    ip: "10.0.0.5",
    country: null,
    shown: true,
    expect:
      "The chat appears: a private address has no country, and a block list shows unknown visitors " +
      'unless the owner picks "hide" (Block Visitors → Countries in the console).',
  },
];

/** The visitor the proxy starts with. */
export const DEFAULT_VISITOR: Visitor = { ip: VISITOR_PRESETS[0]!.ip, country: VISITOR_PRESETS[0]!.country };

/** The preset that `visitor` is exactly, if any. */
export function presetOf(visitor: Visitor): VisitorPreset | undefined {
  return VISITOR_PRESETS.find((p) => p.ip === visitor.ip && p.country === visitor.country);
}
