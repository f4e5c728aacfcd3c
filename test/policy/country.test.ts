// Country codes and the three country modes, the unknown country included.
import { describe, expect, it, test } from "vitest";
import { COUNTRY_CODES, countryCodeError, decideCountry, type CountryRule } from "../../policy/country";

describe("country codes", () => {
  it("lists the 249 ISO 3166-1 codes and XK", () => {
    expect(COUNTRY_CODES.size).toBe(250);
  });

  it("has a name in the runtime's region names for every code, so the console can show it", () => {
    const names = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
    const nameless = [...COUNTRY_CODES].filter((code) => names.of(code) === undefined);
    expect(nameless).toEqual([]);
  });

  test.each([
    ["DE", null],
    ["de", `Write country codes in capitals: "DE", not "de".`],
    ["UK", `"UK" is not an ISO 3166-1 alpha-2 country code (two letters, e.g. DE for Germany).`],
    ["EU", `"EU" is not an ISO 3166-1 alpha-2 country code`],
    ["DEU", "is not an ISO 3166-1 alpha-2 country code"],
    ["", "is not an ISO 3166-1 alpha-2 country code"],
  ])("checks %j", (code, error) => {
    const message = countryCodeError(code);
    if (error === null) expect(message).toBeNull();
    else expect(message).toContain(error);
  });
});

describe("decideCountry", () => {
  const allow: CountryRule = { mode: "allow", list: ["DE", "FR"] };
  const block: CountryRule = { mode: "block", list: ["DE", "FR"] };
  test.each<[string, CountryRule, string | null, boolean]>([
    ["off shows everyone", { mode: "off", list: ["DE"] }, "DE", false],
    ["off shows the unknown", { mode: "off", list: [] }, null, false],
    ["allow shows a listed country", allow, "DE", false],
    ["allow hides an unlisted country", allow, "US", true],
    ["allow hides the unknown by default", allow, null, true],
    ["allow shows the unknown when the owner says so", { ...allow, unknown: "show" }, null, false],
    ["block hides a listed country", block, "FR", true],
    ["block shows an unlisted country", block, "US", false],
    ["block shows the unknown by default", block, null, false],
    ["block hides the unknown when the owner says so", { ...block, unknown: "hide" }, null, true],
  ])("%s", (_name, rule, country, hides) => {
    expect(decideCountry(rule, country).hides).toBe(hides);
  });

  it("says which list decided", () => {
    expect(decideCountry(block, "FR").message).toBe("France (FR) is on the blocked list.");
    expect(decideCountry(allow, "US").message).toBe("United States (US) is not on the allowed list.");
    expect(decideCountry(allow, null).message).toBe("Country unknown: the rule says hide.");
  });
});
