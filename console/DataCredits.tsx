// The credit the bundled country and network operator (AS) data ask for (CC BY 4.0), where the console uses them.

const LICENSE = "https://creativecommons.org/licenses/by/4.0/";
const SOURCE = "https://github.com/sapics/ip-location-db";

export function DataCredits() {
  return (
    <footer class="credits hint">
      Countries: <a href={SOURCE}>@ip-location-db/geo-whois-asn-country-mmdb</a> (<a href={LICENSE}>CC BY 4.0</a>, NRO).
      Network operators: <a href={SOURCE}>@ip-location-db/asn</a> (<a href={LICENSE}>CC BY 4.0</a>, RouteViews, DB-IP,
      NRO).
    </footer>
  );
}
