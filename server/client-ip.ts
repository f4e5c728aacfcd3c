// The visitor's IP and country. X-Forwarded-For and the country header count only through proxies
// the operator trusts (TRUST_PROXY, with Express's `trust proxy` semantics via proxy-addr).

import type { IncomingMessage } from "node:http";
import proxyAddr from "proxy-addr";
import type { Config } from "./config";

export interface ClientAddress {
  ip: string;
  /** Whether the socket peer is a trusted proxy, so headers it sets may be believed. */
  viaTrustedProxy: boolean;
}

export type AddressResolver = (req: IncomingMessage) => ClientAddress;

export function addressResolver(config: Pick<Config, "trustProxy">): AddressResolver {
  // Trusting no proxy, the socket peer is the visitor: what proxy-addr would say, without reading headers.
  if (config.trustProxy === null) return (req) => ({ ip: req.socket.remoteAddress ?? "", viaTrustedProxy: false });
  const trust = trustFunction(config.trustProxy);
  return (req) => {
    const peer = req.socket.remoteAddress ?? "";
    return { ip: proxyAddr(req, trust), viaTrustedProxy: trust(peer, 0) };
  };
}

function trustFunction(setting: NonNullable<Config["trustProxy"]>): (address: string, hop: number) => boolean {
  // A hop count trusts that many proxies in front of the server, as Express does.
  if (typeof setting === "number") return (_address, hop) => hop < setting;
  return proxyAddr.compile(setting);
}
