// Deliveries to a real receiver on loopback, verified with the `standardwebhooks` package, the
// specification's own library, not with Hatch's code: what a receiver sees, and every way an attempt fails.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import { deliver, type Delivery } from "../../../server/webhooks/deliver";
import { newWebhookSecret } from "../../../server/webhooks/signature";

interface Arrival {
  headers: IncomingHttpHeaders;
  body: string;
}

type Answer = (request: IncomingMessage, response: ServerResponse) => void;

const receivers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

/** A receiver on a free loopback port that records each request whole, then answers with `answer`. */
async function startReceiver(answer: Answer) {
  const arrivals: Arrival[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      arrivals.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      answer(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const receiver = {
    port,
    origin: `http://127.0.0.1:${port}`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  receivers.push(receiver);
  return receiver;
}

const answerWith =
  (status: number, headers: Record<string, string> = {}): Answer =>
  (_request, response) =>
    response.writeHead(status, headers).end("ignored");

const secret = newWebhookSecret();

function event(url: string, extra: Partial<Delivery> = {}): Delivery {
  return {
    url,
    secret,
    id: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
    type: "chat.started",
    data: { chatId: "conv_abc", page: "https://shop.example/ü" },
    timestamp: new Date("2026-12-06T02:40:00.000Z"),
    allowPrivate: true,
    ...extra,
  };
}

describe("a delivery", () => {
  it("arrives signed so that the standardwebhooks library verifies it", async () => {
    const receiver = await startReceiver(answerWith(204));
    const outcome = await deliver(event(`${receiver.origin}/hooks`));
    expect(outcome).toMatchObject({ ok: true, status: 204, error: null });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    const [arrival] = receiver.arrivals;
    if (arrival === undefined) throw new Error("nothing arrived");
    const payload = new Webhook(secret).verify(arrival.body, arrival.headers as Record<string, string>);
    expect(payload).toEqual({
      type: "chat.started",
      timestamp: "2026-12-06T02:40:00.000Z",
      data: { chatId: "conv_abc", page: "https://shop.example/ü" },
    });
    expect(arrival.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": "Hatch-Webhooks",
      "webhook-id": "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
    });
  });

  it("fails verification under another endpoint's secret", async () => {
    const receiver = await startReceiver(answerWith(200));
    await deliver(event(receiver.origin));
    const [arrival] = receiver.arrivals;
    if (arrival === undefined) throw new Error("nothing arrived");
    const other = new Webhook(newWebhookSecret());
    expect(() => other.verify(arrival.body, arrival.headers as Record<string, string>)).toThrow();
  });

  it("carries the attempt's time in webhook-timestamp, so a late retry still verifies", async () => {
    const receiver = await startReceiver(answerWith(200));
    const before = Math.floor(Date.now() / 1000);
    await deliver(event(receiver.origin, { timestamp: new Date("2020-01-01T00:00:00Z") }));
    const stamp = Number(receiver.arrivals[0]?.headers["webhook-timestamp"]);
    expect(stamp).toBeGreaterThanOrEqual(before);
    expect(stamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it("is not ok on a 500, and says so", async () => {
    const receiver = await startReceiver(answerWith(500));
    expect(await deliver(event(receiver.origin))).toMatchObject({ ok: false, status: 500, error: "HTTP 500" });
  });

  it("does not follow a redirect", async () => {
    const receiver = await startReceiver((request, response) => {
      if (request.url === "/moved") response.writeHead(302, { location: "/elsewhere" }).end();
      else response.writeHead(200).end();
    });
    const outcome = await deliver(event(`${receiver.origin}/moved`));
    expect(outcome).toMatchObject({ ok: false, status: 302, error: "HTTP 302: redirect to /elsewhere not followed" });
    expect(receiver.arrivals).toHaveLength(1);
  });

  it("times out on a receiver that does not answer", async () => {
    const receiver = await startReceiver(() => {
      // Never answers: the attempt must give up on its own.
    });
    const outcome = await deliver(event(receiver.origin, { timeoutMs: 300 }));
    expect(outcome).toMatchObject({ ok: false, status: null, error: "timed out after 300 ms" });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(290);
    expect(outcome.durationMs).toBeLessThan(2_000);
  });

  it("reads a huge response only so far, and still counts its 2xx", async () => {
    const receiver = await startReceiver((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      // 8 MiB, written as fast as the socket takes it: more than the 64 KiB the attempt reads.
      const chunk = Buffer.alloc(64 * 1024, "x");
      let left = 128;
      const more = () => {
        while (left > 0) {
          left -= 1;
          if (!response.write(chunk)) return void response.once("drain", more);
        }
        response.end();
      };
      response.on("error", () => {});
      more();
    });
    expect(await deliver(event(receiver.origin, { timeoutMs: 2_000 }))).toMatchObject({ ok: true, status: 200 });
  });

  it("reports a refused connection", async () => {
    const receiver = await startReceiver(answerWith(200));
    await receiver.close();
    const outcome = await deliver(event(receiver.origin));
    expect(outcome).toMatchObject({ ok: false, status: null });
    expect(outcome.error).toMatch(/^connection failed \(ECONNREFUSED\)/);
  });

  it("never throws, even on data that cannot be serialized", async () => {
    const receiver = await startReceiver(answerWith(200));
    const outcome = await deliver(event(receiver.origin, { data: { count: 1n } }));
    expect(outcome).toMatchObject({ ok: false, status: null });
    expect(outcome.error).toMatch(/^delivery failed: /);
    expect(receiver.arrivals).toHaveLength(0);
  });
});

describe("a delivery's destination", () => {
  it("is refused on loopback without WEBHOOKS_ALLOW_PRIVATE, before any connection", async () => {
    const receiver = await startReceiver(answerWith(200));
    const outcome = await deliver(event(`https://127.0.0.1:${receiver.port}/`, { allowPrivate: false }));
    expect(outcome).toMatchObject({ ok: false, status: null });
    // What the name resolves to is not said: the owner reads this in the deliveries list.
    expect(outcome.error).toBe("refused: The endpoint's address is not public: webhooks reach only public addresses.");
    expect(receiver.arrivals).toHaveLength(0);
  });

  it("is refused over plain http without WEBHOOKS_ALLOW_PRIVATE", async () => {
    const receiver = await startReceiver(answerWith(200));
    const outcome = await deliver(event(receiver.origin, { allowPrivate: false }));
    expect(outcome.error).toBe("refused: http: is not allowed: webhook endpoints use https:.");
    expect(receiver.arrivals).toHaveLength(0);
  });

  it("is refused when its name resolves to a private address", async () => {
    const outcome = await deliver(
      event("https://hooks.example.com/in", {
        allowPrivate: false,
        resolve: async () => [{ address: "10.0.0.7", family: 4 }],
      }),
    );
    expect(outcome.error).toBe("refused: The endpoint's address is not public: webhooks reach only public addresses.");
  });

  it("is the address checked, not a second resolution, with the URL's name as Host", async () => {
    const receiver = await startReceiver(answerWith(200));
    const resolved: string[] = [];
    // `.invalid` never resolves (RFC 6761): only the checked address can have been reached.
    const outcome = await deliver(
      event(`http://hooks.invalid:${receiver.port}/in`, {
        resolve: async (hostname) => {
          resolved.push(hostname);
          return [{ address: "127.0.0.1", family: 4 }];
        },
      }),
    );
    expect(outcome).toMatchObject({ ok: true, status: 200 });
    expect(resolved).toEqual(["hooks.invalid"]);
    expect(receiver.arrivals[0]?.headers.host).toBe(`hooks.invalid:${receiver.port}`);
  });

  it("times out on a name that never resolves", async () => {
    const outcome = await deliver(
      event("https://slow.example.com/", { timeoutMs: 300, resolve: () => new Promise(() => {}) }),
    );
    expect(outcome).toMatchObject({ ok: false, error: "timed out after 300 ms resolving the endpoint" });
  });
});
