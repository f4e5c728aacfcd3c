// What the stream benches' servers answer to `memory`. Needs --expose-gc.

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Heap and RSS of streams that have sat idle a while, as waiting visitors' do: collected, then a few
 * seconds for V8 and the allocator to give back what opening them needed for a moment.
 */
export async function settledMemory(): Promise<{ heap: number; rss: number }> {
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  gc?.();
  return { heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss };
}
