// Country of an IP: the trusted CDN header first, else the MMDB database, else unknown (null).

import { Reader, type Response } from "maxmind";
import { readFileSync } from "node:fs";
import { COUNTRY_CODES } from "../../policy/country";
import { formatIp, parseIp, unmapIpv4 } from "../../policy/ip";

export interface Geo {
  country(ip: string): string | null;
}

// Both layouts of DESIGN.md: ip-location-db's `{country_code}` and MaxMind's `{country:{iso_code}}`.
type CountryRecord = Response & { country_code?: string; country?: { iso_code?: string } };

/** Opens an MMDB file; throws naming the file when it cannot be read. */
export function openGeo(path: string): Geo {
  let reader: Reader<CountryRecord>;
  try {
    reader = new Reader<CountryRecord>(readFileSync(path));
  } catch (error) {
    throw new Error(`GEOIP_DB "${path}" could not be read as an MMDB file: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    country(ip) {
      const parsed = parseIp(ip);
      if (!parsed.ok) return null;
      // The database keys IPv4 by the plain address; look up ::ffff:a.b.c.d as a.b.c.d.
      const record = reader.get(formatIp(unmapIpv4(parsed.address)));
      const code = (record?.country_code ?? record?.country?.iso_code)?.toUpperCase();
      return code !== undefined && COUNTRY_CODES.has(code) ? code : null;
    },
  };
}

/** The country header's value when it may be believed and is a real code; CDNs send XX or T1 for unknown/Tor. */
export function headerCountry(value: string | undefined): string | null {
  const code = value?.trim().toUpperCase();
  return code !== undefined && COUNTRY_CODES.has(code) ? code : null;
}
