// Reads a Server-Sent Events body incrementally, as the browser's EventSource would: the one reader
// the server tests share.

export interface SseEvent<T = unknown> {
  id: string | undefined;
  event: string | undefined;
  data: T;
}

/** Reads a Server-Sent Events body incrementally, as the browser's EventSource would. */
export class SseReader<T = unknown> {
  readonly events: SseEvent<T>[] = [];
  /** The last `retry:` the server sent: how long it asked the browser to wait before reconnecting. */
  retryMs: number | null = null;
  /** Settles when the server has ended the stream (or close() dropped it). */
  readonly ended: Promise<void>;
  private buffer = "";
  private readonly decoder = new TextDecoder();
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(readonly response: Response) {
    this.reader = response.body!.getReader();
    this.ended = this.pump();
  }

  private async pump() {
    for (;;) {
      const chunk = await this.reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) return;
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = this.buffer.indexOf("\n\n")) >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue; // a keep-alive comment
          const colon = line.indexOf(":");
          const name = line.slice(0, colon);
          fields[name] =
            (fields[name] === undefined ? "" : `${fields[name]}\n`) + line.slice(colon + 1).replace(/^ /, "");
        }
        if (fields.retry !== undefined) this.retryMs = Number(fields.retry);
        if (fields.data !== undefined)
          this.events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) as T });
      }
    }
  }

  /** Waits until at least `count` events have arrived; fails after `withinMs`. */
  async take(count: number, withinMs = 2000): Promise<SseEvent<T>[]> {
    const deadline = Date.now() + withinMs;
    while (this.events.length < count) {
      if (Date.now() > deadline)
        throw new Error(`expected ${count} events, got ${this.events.length}: ${JSON.stringify(this.events)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.events.slice(0, count);
  }

  async close() {
    await this.reader.cancel().catch(() => undefined);
    await this.ended;
  }
}

/** The first `count` events of a stream, which is then dropped (a connection lost). */
export async function readEvents<T = unknown>(response: Response, count: number): Promise<SseEvent<T>[]> {
  const reader = new SseReader<T>(response);
  try {
    return await reader.take(count);
  } finally {
    await reader.close();
  }
}
