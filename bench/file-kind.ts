// detectFile on a small PNG and on 100 MiB buffers: how much of the input it takes, and time per call.
// Prints figures; never fails. Run: npx tsx bench/file-kind.ts
import { readFileSync } from "node:fs";
import { detectFile, SNIFF_BYTES } from "../policy/file-kind";

const MIB = 1024 * 1024;
const ROUNDS = 7;

/**
 * A Uint8Array that records every `subarray` taken of it. Its views are plain Uint8Arrays, so what is
 * recorded is what detectFile takes of the input itself: the window all later reads go through.
 */
class WatchedBytes extends Uint8Array {
  readonly views: number[] = [];
  static get [Symbol.species]() {
    return Uint8Array;
  }
  override subarray(begin?: number, end?: number): Uint8Array<ArrayBuffer> {
    const view = super.subarray(begin, end);
    this.views.push(view.length);
    return view;
  }
}

function watched(length: number, fill: (bytes: Uint8Array) => void): WatchedBytes {
  const bytes = new WatchedBytes(length);
  fill(bytes);
  return bytes;
}

function fillText(bytes: Uint8Array): void {
  const line = Uint8Array.from("The quick brown fox jumps over the lazy dog. 0123456789\n", (c) => c.charCodeAt(0));
  for (let offset = 0; offset < bytes.length; offset += line.length)
    bytes.set(line.subarray(0, bytes.length - offset), offset);
}

/** Nanoseconds per call, the median of ROUNDS timed rounds of at least `minMs` each. */
function nsPerCall(input: Uint8Array, minMs: number): number {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let calls = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0n;
    do {
      for (let i = 0; i < 100; i++) detectFile(input);
      calls += 100;
      elapsed = process.hrtime.bigint() - start;
    } while (elapsed < BigInt(minMs) * 1_000_000n);
    rounds.push(Number(elapsed) / calls);
  }
  return rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)] ?? 0;
}

const png = new Uint8Array(readFileSync(new URL("../test/fixtures/files/fixture.png", import.meta.url)));
// 8 KiB inputs take the same path as 100 MiB ones (longer than the window, so cut to it): the fair baseline.
const inputs: [label: string, bytes: WatchedBytes][] = [
  [`PNG fixture, ${png.length} B`, watched(png.length, (b) => b.set(png))],
  ["text, 8 KiB", watched(2 * SNIFF_BYTES, fillText)],
  ["text, 100 MiB", watched(100 * MIB, fillText)],
  ["zeros, 8 KiB", watched(2 * SNIFF_BYTES, () => {})],
  ["zeros, 100 MiB", watched(100 * MIB, () => {})],
];

console.log(`detectFile, SNIFF_BYTES = ${SNIFF_BYTES}; time is the median of ${ROUNDS} rounds`);
console.log(["input".padEnd(22), "kind".padEnd(9), "window".padStart(16), "ns/call".padStart(10)].join(""));
const times = new Map<string, number>();
for (const [label, bytes] of inputs) {
  const kind = detectFile(bytes).kind;
  // An input no longer than the window is read in place; a longer one through the one view taken of it.
  const window = bytes.length <= SNIFF_BYTES ? bytes.length : Math.max(...bytes.views);
  const views = bytes.length <= SNIFF_BYTES ? "in place" : `${bytes.views.length} view`;
  const ns = nsPerCall(bytes, 150);
  times.set(label, ns);
  const note = window <= SNIFF_BYTES ? "" : "  <- more than SNIFF_BYTES";
  console.log(
    [label.padEnd(22), kind.padEnd(9), `${window} B`.padStart(16), ns.toFixed(0).padStart(10), `  (${views})`].join(
      "",
    ) + note,
  );
}

const ratio = (large: string, small: string) => ((times.get(large) ?? 0) / (times.get(small) || 1)).toFixed(2);
const pngLabel = inputs[0]?.[0] ?? "";
console.log(
  `100 MiB text  / 8 KiB text:  ${ratio("text, 100 MiB", "text, 8 KiB")}×  (same path; about 1 means the size of the input does not matter)`,
);
console.log(`100 MiB zeros / 8 KiB zeros: ${ratio("zeros, 100 MiB", "zeros, 8 KiB")}×`);
console.log(
  `100 MiB text  / PNG:         ${ratio("text, 100 MiB", pngLabel)}×  (a magic number decides at once; text is checked to the end of the window)`,
);
console.log(
  `100 MiB zeros / PNG:         ${ratio("zeros, 100 MiB", pngLabel)}×  (zeros fail the text check at the first byte)`,
);
