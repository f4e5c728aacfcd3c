// The visitor's IP and country. X-Forwarded-For and the country header count only through proxies
// the operator trusts (TRUST_PROXY, with Express's `trust proxy` semantics via proxy-addr).

import type { IncomingMessage } from "node:http";
import proxyAddr from "proxy-addr";
import { parseIp, type IpAddress } from "../policy/ip";
import type { Config } from "./config";
import { ApiError } from "./errors";

export interface ClientAddress {
  ip: string;
  /** Whether the socket peer is a trusted proxy, so headers it sets may be believed. */
  viaTrustedProxy: boolean;
}

export type AddressResolver = (req: IncomingMessage) => ClientAddress;

/** The client's address, parsed: what rules and limits work with. */
export interface VisitorAddress extends ClientAddress {
  parsed: IpAddress;
}

export function addressResolver(config: Pick<Config, "trustProxy">): AddressResolver {
  // Trusting no proxy, the socket peer is the visitor: what proxy-addr would say, without reading headers.
  if (config.trustProxy === null) return (req) => ({ ip: req.socket.remoteAddress ?? "", viaTrustedProxy: false });
  const trust = trustFunction(config.trustProxy);
  return (req) => {
    const peer = req.socket.remoteAddress;
    // A socket that closed before the request was handled has no peer any more: proxy-addr would throw.
    if (peer === undefined) return { ip: "", viaTrustedProxy: false };
    return { ip: proxyAddr(req, trust), viaTrustedProxy: trust(peer, 0) };
  };
}

/** The visitor's address as the server can tell it (trusted proxies only), not as the visitor says. */
export function addressOf(req: IncomingMessage, resolve: AddressResolver): VisitorAddress {
  const address = resolve(req);
  const parsed = parseIp(address.ip);
  if (!parsed.ok) throw new ApiError(400, "bad_address", "Your network address could not be read.");
  return { ip: address.ip, viaTrustedProxy: address.viaTrustedProxy, parsed: parsed.address };
}

function trustFunction(setting: NonNullable<Config["trustProxy"]>): (address: string, hop: number) => boolean {
  // A hop count trusts that many proxies in front of the server, as Express does.
  if (typeof setting === "number") return (_address, hop) => hop < setting;
  return proxyAddr.compile(setting);
}
