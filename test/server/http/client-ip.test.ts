// The client's address: X-Forwarded-For believed only from a trusted proxy, and a socket that closed
// before its request was handled answered 400, with nothing logged.
import { IncomingMessage } from "node:http";
import { connect, Socket } from "node:net";
import fc from "fast-check";
import proxyAddr from "proxy-addr";
import { afterEach, describe, expect, it, test, vi } from "vitest";
import type { Config } from "../../../server/config";
import { addressOf, addressResolver } from "../../../server/http/client-ip";
import { ApiError } from "../../../server/http/errors";
import { startHarness } from "../harness";

/** A request as Node hands it over; `peer` undefined is a socket already closed (no peer any more). */
function request(peer: string | undefined, headers: Record<string, string> = {}): IncomingMessage {
  const socket = new Socket();
  if (peer !== undefined) Object.defineProperty(socket, "remoteAddress", { value: peer });
  const req = new IncomingMessage(socket);
  req.headers = headers;
  return req;
}

function resolveAddress(trustProxy: Config["trustProxy"], req: IncomingMessage) {
  const { ip, viaTrustedProxy } = addressOf(req, addressResolver({ trustProxy }));
  return { ip, viaTrustedProxy };
}

const SETTINGS: [string, Config["trustProxy"]][] = [
  ["no proxy", null],
  ["loopback", ["loopback"]],
  ["a list of CIDRs", ["10.0.0.0/8", "192.168.0.0/16"]],
  ["one hop", 1],
  ["two hops", 2],
];

describe("a request whose socket has closed", () => {
  test.each(SETTINGS)("is a 400 bad_address, not a TypeError, trusting %s", (_name, trustProxy) => {
    // The header is what a proxy in front would have sent; without a peer nothing vouches for it.
    const req = request(undefined, { "x-forwarded-for": "203.0.113.9" });
    let thrown: unknown;
    try {
      resolveAddress(trustProxy, req);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ status: 400, code: "bad_address" });
  });
});

describe("X-Forwarded-For", () => {
  test.each([
    [
      "is ignored trusting no proxy, even from loopback",
      null,
      "127.0.0.1",
      "203.0.113.9",
      { ip: "127.0.0.1", viaTrustedProxy: false },
    ],
    [
      "is believed from a trusted loopback proxy",
      ["loopback"],
      "127.0.0.1",
      "203.0.113.9",
      { ip: "203.0.113.9", viaTrustedProxy: true },
    ],
    [
      "is ignored from a peer that is not a trusted proxy",
      ["loopback"],
      "198.51.100.1",
      "203.0.113.9",
      { ip: "198.51.100.1", viaTrustedProxy: false },
    ],
    [
      "is believed from a proxy in a trusted network",
      ["10.0.0.0/8"],
      "10.1.2.3",
      "203.0.113.9",
      { ip: "203.0.113.9", viaTrustedProxy: true },
    ],
    // What the visitor wrote in front of the proxy's entry is not believed: the first untrusted hop wins.
    [
      "stops at the first address that is not a trusted proxy",
      ["loopback"],
      "127.0.0.1",
      "1.2.3.4, 203.0.113.9",
      { ip: "203.0.113.9", viaTrustedProxy: true },
    ],
    [
      "is believed as far as the hop count",
      1,
      "198.51.100.1",
      "1.2.3.4, 203.0.113.9",
      { ip: "203.0.113.9", viaTrustedProxy: true },
    ],
    [
      "is believed two hops deep when told two",
      2,
      "198.51.100.1",
      "1.2.3.4, 203.0.113.9",
      { ip: "1.2.3.4", viaTrustedProxy: true },
    ],
    [
      "is not needed when the peer is the visitor",
      ["loopback"],
      "203.0.113.9",
      undefined,
      { ip: "203.0.113.9", viaTrustedProxy: false },
    ],
  ] as const)("%s", (_name, trustProxy, peer, forwarded, expected) => {
    const headers: Record<string, string> = forwarded === undefined ? {} : { "x-forwarded-for": forwarded };
    expect(resolveAddress(trustProxy as Config["trustProxy"], request(peer, headers))).toEqual(expected);
  });

  it("fails closed on an address a trusted proxy garbled", () => {
    expect(() => resolveAddress(["loopback"], request("127.0.0.1", { "x-forwarded-for": "not-an-address" }))).toThrow(
      ApiError,
    );
    expect(() => resolveAddress(1, request("127.0.0.1", { "x-forwarded-for": "010.0.0.1" }))).toThrow(ApiError);
  });
});

describe("the resolver's fast path", () => {
  // The resolver answers the usual cases itself and leaves chains to proxy-addr: it must say what proxy-addr says.
  const address = fc.oneof(
    fc.constantFrom(
      "127.0.0.1",
      "::1",
      "::ffff:127.0.0.1",
      "10.1.2.3",
      "203.0.113.9",
      "2001:db8::1",
      "garbage",
      "",
      " 198.51.100.7 ",
    ),
    fc.ipV4(),
    fc.ipV6(),
  );
  const header = fc.option(
    fc.oneof(
      address,
      fc.array(address, { minLength: 2, maxLength: 4 }).map((list) => list.join(", ")),
    ),
    { nil: undefined },
  );

  test.each(SETTINGS.filter(([, trust]) => trust !== null))(
    "agrees with proxy-addr, trusting %s",
    (_name, trustProxy) => {
      const resolve = addressResolver({ trustProxy });
      const trust =
        typeof trustProxy === "number" ? (_a: string, hop: number) => hop < trustProxy : proxyAddr.compile(trustProxy!);
      fc.assert(
        fc.property(
          address.filter((peer) => peer.trim() === peer && peer !== ""),
          header,
          (peer, forwarded) => {
            const headers: Record<string, string> = forwarded === undefined ? {} : { "x-forwarded-for": forwarded };
            expect(resolve(request(peer, headers)).ip).toBe(proxyAddr(request(peer, headers), trust));
          },
        ),
        { numRuns: 3000 },
      );
    },
  );
});

describe("a real server trusting a proxy", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("logs nothing for requests whose client hung up before they were read", async () => {
    const h = await startHarness({ TRUST_PROXY: "loopback" });
    const logged = vi.spyOn(console, "error");
    try {
      const { port } = new URL(h.url);
      const paths = [
        "/api/v1/widget/acme/verdict?page=https%3A%2F%2Fshop.example%2F",
        "/api/v1/widget/acme/ticket?page=https%3A%2F%2Fshop.example%2F",
      ];
      // Written and reset in one go: the server reads the request after its peer is gone.
      await Promise.all(
        Array.from(
          { length: 20 },
          (_, i) =>
            new Promise<void>((done) => {
              const socket = connect(Number(port), "127.0.0.1", () => {
                socket.write(
                  `GET ${paths[i % 2]} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://shop.example\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n`,
                );
                socket.resetAndDestroy();
              });
              socket.on("close", () => done());
              socket.on("error", () => undefined);
            }),
        ),
      );
      // Let the server read what was written.
      await new Promise((done) => setTimeout(done, 200));
      expect(logged).not.toHaveBeenCalled();
      // And it still answers.
      expect(
        (
          await fetch(`${h.url}/api/v1/widget/acme/verdict?page=${encodeURIComponent("https://shop.example/")}`, {
            headers: { origin: "https://shop.example" },
          })
        ).status,
      ).toBe(200);
    } finally {
      await h.stop();
    }
  });
});
