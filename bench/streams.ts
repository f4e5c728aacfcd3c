// Memory per open event stream at 10,000 idle console streams, and the time one event takes to reach
// all of them, next to a bare node:http server holding as many responses open (what a stream costs
// when node:http keeps it: Hatch takes the socket from node:http instead, server/realtime/socket-takeover.ts).
// Each server runs in a process of its own (bench/lib/stream-server.ts,
// bench/lib/bare-stream-server.ts); the streams are raw sockets here, each a GET with a session cookie,
// read as they come. Raises the descriptor limit
// to the hard limit by running itself again under `ulimit -n`. Prints figures; never fails. Run: npx tsx bench/streams.ts
import { fork, spawnSync } from "node:child_process";
import { connect, type Socket } from "node:net";
import { fileURLToPath } from "node:url";

const STREAMS = 10_000;
const PER_SESSION = 5;

if (process.env.HATCH_BENCH_RAISED !== "1") {
  const self = fileURLToPath(import.meta.url);
  // As high as the hard limit allows: 10,000 streams need that many descriptors on each side.
  const result = spawnSync(
    "bash",
    ["-c", `ulimit -n "$(ulimit -Hn)" && exec "${process.execPath}" --import tsx "${self}"`],
    {
      stdio: "inherit",
      env: { ...process.env, HATCH_BENCH_RAISED: "1" },
    },
  );
  process.exit(result.status ?? 1);
}

interface Figures {
  held: number;
  openedMs: number;
  heapPerStream: number;
  rssPerStream: number;
  deliveredMs: number;
  /** The server's whole RSS with the streams open. */
  rss: number;
}

/** Opens STREAMS idle streams against the server that the script `serverFile` starts, and measures it. */
async function measure(serverFile: URL): Promise<Figures> {
  const server = fork(fileURLToPath(serverFile), [], {
    execArgv: ["--import", "tsx", "--expose-gc"],
  });
  const replies: ((message: Record<string, unknown>) => void)[] = [];
  server.on("message", (message: Record<string, unknown>) => replies.shift()?.(message));
  const next = () => new Promise<Record<string, unknown>>((resolve) => replies.push(resolve));
  const ask = (message: unknown) => {
    const reply = next();
    server.send(message as never);
    return reply;
  };

  const { url } = (await next()) as { url: string };
  const { port } = new URL(url);
  const { tokens } = (await ask({ ask: "sessions", count: STREAMS / PER_SESSION })) as { tokens: string[] };
  const before = (await ask({ ask: "memory" })) as { heap: number; rss: number };

  const started = performance.now();
  const streams: OpenStream[] = [];
  for (let i = 0; i < STREAMS; i += 200) {
    const batch = Array.from({ length: Math.min(200, STREAMS - i) }, (_, j) =>
      openStream(Number(port), tokens[Math.floor((i + j) / PER_SESSION)]!),
    );
    streams.push(...(await Promise.all(batch)));
  }
  const openedMs = performance.now() - started;
  const { streams: held } = (await ask({ ask: "streams" })) as { streams: number };
  const after = (await ask({ ask: "memory" })) as { heap: number; rss: number };
  const heldRss = after.rss;

  const sent = performance.now();
  await ask({ ask: "announce" });
  while (streams.some((stream) => stream.arrived() === 0)) await new Promise((resolve) => setTimeout(resolve, 1));
  const deliveredMs = performance.now() - sent;
  for (const stream of streams) stream.socket.destroy();
  server.kill();
  return {
    held,
    openedMs,
    heapPerStream: (after.heap - before.heap) / held,
    rssPerStream: (after.rss - before.rss) / held,
    deliveredMs,
    rss: heldRss,
  };
}

interface OpenStream {
  socket: Socket;
  /** How many policy events it has read. */
  arrived(): number;
}

/** One console stream on a raw socket, read as it comes. */
function openStream(port: number, token: string): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    let text = "";
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(
        `GET /api/v1/console/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: hatch_session=${token}\r\n\r\n`,
      );
    });
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
      if (text.startsWith("HTTP/1.1 200")) resolve({ socket, arrived: () => seen });
      else if (text.includes("\r\n\r\n")) reject(new Error(text.split("\r\n")[0]));
      seen += chunk.split("event: policy").length - 1;
      text = text.slice(-64);
    });
    socket.on("error", reject);
  });
}

const bare = await measure(new URL("./lib/bare-stream-server.ts", import.meta.url));
const hatch = await measure(new URL("./lib/stream-server.ts", import.meta.url));

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`.padStart(9);
console.log(
  `${hatch.held.toLocaleString("en")} idle console event streams, opened in ${(hatch.openedMs / 1000).toFixed(1)} s`,
);
console.log("                        hatch       bare node:http holding its responses open (same run)");
console.log(
  `server heap per stream  ${kib(hatch.heapPerStream)}   ${kib(bare.heapPerStream)}   (collected, after 3 s idle)`,
);
console.log(
  `server RSS per stream   ${kib(hatch.rssPerStream)}   ${kib(bare.rssPerStream)}   (goal ≤ 8 KiB: 100,000 waiting visitors in 1 GiB)`,
);
console.log(
  `server RSS in all      ${`${(hatch.rss / 2 ** 20).toFixed(0)} MiB`.padStart(9)}   ${`${(bare.rss / 2 ** 20).toFixed(0)} MiB`.padStart(9)}   (with the ${hatch.held.toLocaleString("en")} streams open)`,
);
console.log(
  `one event to all        ${`${hatch.deliveredMs.toFixed(0)} ms`.padStart(9)}   ${`${bare.deliveredMs.toFixed(0)} ms`.padStart(9)}`,
);
