// Country rules: ISO 3166-1 alpha-2 codes and their English names, the three modes, and what an unknown
// country gets.

/**
 * Every officially assigned ISO 3166-1 alpha-2 code (249), plus XK (Kosovo), the user-assigned
 * code that CLDR, GeoIP databases and CDNs use. Source: ISO 3166 Maintenance Agency's list.
 */
const CODES =
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ " +
  "BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
  "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ " +
  "DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
  "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU " +
  "ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ " +
  "LA LB LC LI LK LR LS LT LU LV LY " +
  "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
  "NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA " +
  "RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
  "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ " +
  "VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";

export const COUNTRY_CODES: ReadonlySet<string> = new Set(CODES.split(" "));

export const COUNTRY_MODES = ["off", "allow", "block"] as const;
export type CountryMode = (typeof COUNTRY_MODES)[number];

export interface CountryRule {
  mode: CountryMode;
  list: readonly string[];
  /** What a visitor of unknown country gets; absent means the mode's default (see `unknownDefault`). */
  unknown?: "show" | "hide" | undefined;
}

export interface CountryVerdict {
  hides: boolean;
  message: string;
}

// English names for reasons and lists; Intl.DisplayNames is part of ECMA-402 in every runtime we target.
const NAMES = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

/** `Germany` for `DE`; the code itself if the runtime has no name for it. */
export function countryName(code: string): string {
  return NAMES.of(code) ?? code;
}

/** "Germany (DE)": what a person reads in a reason. */
function countryLabel(code: string): string {
  return `${countryName(code)} (${code})`;
}

let byName: readonly { code: string; name: string }[] | undefined;

/** Every country code with its name, sorted by name, for pickers; built on first use. */
export function countriesByName(): readonly { code: string; name: string }[] {
  byName ??= [...COUNTRY_CODES]
    .map((code) => ({ code, name: countryName(code) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return byName;
}

/** Why a code is not a country code, or null when it is one. */
export function countryCodeError(code: string): string | null {
  if (COUNTRY_CODES.has(code)) return null;
  if (COUNTRY_CODES.has(code.toUpperCase()))
    return `Write country codes in capitals: "${code.toUpperCase()}", not "${code}".`;
  return `"${code}" is not an ISO 3166-1 alpha-2 country code (two letters, e.g. DE for Germany).`;
}

/** Unknown visitors are hidden when only listed countries may chat, shown when listed ones are blocked. */
export function unknownDefault(mode: CountryMode): "show" | "hide" {
  return mode === "allow" ? "hide" : "show";
}

/** Whether the country rule hides the chat; `country` is null when unknown. decideCountry() says why. */
export function countryHides(rule: CountryRule, country: string | null): boolean {
  if (rule.mode === "off") return false;
  if (country === null) return (rule.unknown ?? unknownDefault(rule.mode)) === "hide";
  return rule.list.includes(country) === (rule.mode === "block");
}

/**
 * The country rule's verdict for a visitor, with the reason; `country` is null when it could not be
 * worked out (a private address, no database entry).
 * @example decideCountry({ mode: "block", list: ["DE"] }, "DE") // { hides: true, message: "Germany (DE) is on the blocked list." }
 */
export function decideCountry(rule: CountryRule, country: string | null): CountryVerdict {
  const hides = countryHides(rule, country);
  if (rule.mode === "off") return { hides, message: "Country rule is off." };
  if (country === null) return { hides, message: `Country unknown: the rule says ${hides ? "hide" : "show"}.` };
  const where = rule.list.includes(country) ? "on" : "not on";
  return {
    hides,
    message: `${countryLabel(country)} is ${where} the ${rule.mode === "allow" ? "allowed" : "blocked"} list.`,
  };
}
