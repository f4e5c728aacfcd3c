// The baseline of bench/streams.ts: a bare node:http server that answers every request with an
// event stream's head and holds it open, nothing else, in a process of its own. It speaks the same
// messages as stream-server.ts, so the bench measures both the same way. Needs --expose-gc.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { settledMemory } from "./settled-memory";

type Ask = { ask: "sessions"; count: number } | { ask: "memory" } | { ask: "announce" } | { ask: "streams" };

const held = new Set<ServerResponse>();
const server = createServer((_req, res) => {
  res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store" });
  res.flushHeaders();
  held.add(res);
  res.on("close", () => held.delete(res));
});

process.on("message", async (message: Ask) => {
  if (message.ask === "sessions") {
    process.send?.({ tokens: Array.from({ length: message.count }, () => "none") });
  } else if (message.ask === "memory") {
    process.send?.(await settledMemory());
  } else if (message.ask === "announce") {
    for (const res of held) res.write("event: policy\ndata: {}\n\n");
    process.send?.({ announced: true });
  } else {
    process.send?.({ streams: held.size });
  }
});
server.listen(0, "127.0.0.1", () =>
  process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
);
