// server/networks/: what an address says about where a visitor is (country, AS, Tor); the lowest folder, it knows nothing of HTTP.
// What the server knows of a visitor's network beyond its address: the autonomous system it is in
// (ASN data, loaded only once some policy needs it: half a million ranges are not worth their
// memory and start-up time to an account that never asks) and whether it is a Tor exit.

import type { IpAddress } from "../../policy/ip";
import type { AsOf, CompiledPolicy } from "../../policy/verdict";
import type { Log } from "../log";
import { loadAsnTable, type AsnTable } from "./asn";
import { watchTorExits, type TorExits } from "./tor-exits";

export interface Networks {
  /**
   * The AS of `ip`, or null when unknown. Without waiting: while the data loads (the first call
   * starts it) the answer is null, so the verdict never waits for it.
   */
  asOf(ip: IpAddress): AsOf | null;
  /** Resolves once the ASN data is loaded (starting the load if need be). */
  ready(): Promise<void>;
  /** The same, once the data is loaded: for the console and for blocks, which may wait. */
  asOfLoaded(ip: IpAddress): Promise<AsOf | null>;
  /** An AS's organisation, once the data is loaded; null when the data does not know it. */
  asName(asn: number): Promise<string | null>;
  /** An AS's organisation if the data is loaded already, else null. */
  asNameIfLoaded(asn: number): string | null;
  isTorExit(ip: IpAddress): boolean;
  readonly tor: TorExits["status"];
  close(): void;
}

/** After a failed load of the ASN data, page views start another this long after. */
const RETRY_LOAD_MS = 60_000;

export function networks(config: { asnDb: string | null; torExitList: string | null }, log: Log): Networks {
  let table: AsnTable | null = null;
  let loading: Promise<AsnTable> | null = null;
  let failedAt = Number.NEGATIVE_INFINITY;
  const load = () => {
    loading ??= loadAsnTable(config.asnDb).then(
      (loaded) => (table = loaded),
      (error: unknown) => {
        // Logged, and tried again at the next need after a pause: a fixed file or a restart mends it.
        log.error({ err: error, asnDb: config.asnDb }, "the ASN data could not be loaded");
        loading = null;
        failedAt = Date.now();
        throw error;
      },
    );
    return loading;
  };
  // One promise for the whole load, not one per page view; after a failure, a page view waits a
  // minute before it starts another (tickets and the console ask at once).
  const startLoad = () => {
    if (loading === null && Date.now() - failedAt > RETRY_LOAD_MS) void load().catch(() => undefined);
  };
  const tor = watchTorExits(config.torExitList);
  const lookup = (ip: IpAddress): AsOf | null => {
    const found = table?.lookup(ip) ?? null;
    return found === null ? null : { asn: found.asn, name: found.name };
  };
  return {
    asOf(ip) {
      if (table === null) startLoad();
      return lookup(ip);
    },
    async ready() {
      await load();
    },
    async asOfLoaded(ip) {
      await load();
      return lookup(ip);
    },
    async asName(asn) {
      return (await load()).name(asn);
    },
    asNameIfLoaded(asn) {
      return table?.name(asn) ?? null;
    },
    isTorExit: (ip) => tor.has(ip),
    get tor() {
      return tor.status;
    },
    close: () => tor.close(),
  };
}

/**
 * What `policy` reads of the network of `ip`: its AS (waiting for the ASN data, since a visitor's
 * request and the console can wait where a page view cannot) and whether it is a Tor exit.
 */
export async function networkFacts(
  facts: Networks,
  policy: CompiledPolicy,
  ip: IpAddress,
): Promise<{ as: AsOf | null; tor: boolean }> {
  const as = policy.needsAs ? await facts.asOfLoaded(ip).catch(() => null) : null;
  return { as, tor: policy.needsTor && facts.isTorExit(ip) };
}
