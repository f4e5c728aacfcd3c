// Upload throughput with the built-in inspection (server/files/inspection/) against without, through
// receiveUpload() into a DATA_DIR file store: a 10 MiB PDF (image streams and an object stream to
// inflate), a 10 MiB ZIP of 1,000 entries (kept in memory as it passes, each entry's first bytes inflated
// and detected) and a 10 MiB JPEG (its metadata stripped as it passes). "Without" is the same receiveUpload
// taking as many bytes of plain text, which no inspection looks at, measured in the same run. "With
// clamd" adds the scan a CLAMD_URL deployment makes of the stored file (a real clamd, started here on a
// signature database of the tests' own, as test/server/clamd.ts makes it).
// Goal (issue 28): ≥ 0.5 of without for the built-in checks. Prints figures; never fails. Run: npx tsx bench/inspection.ts
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { receiveUpload } from "../server/files/uploads";
import { diskFileStore } from "../server/store/file-store";
import { clamdScanner, type VirusScanner } from "../server/files/clamd";
import { zip } from "../test/fixtures/build";
import { startClamd } from "../test/server/clamd";

const MIB = 1024 * 1024;
const SIZE = 10 * MIB;
const ROUNDS = 41;
const CHUNK = 64 * 1024;
const POLICY = { categories: ["image", "document", "archive", "text"] as const, maxBytes: 20 * MIB };

/** A PDF of image streams (skipped by the scan) and one object stream of 2,000 dictionaries (inflated). */
function pdf(): Buffer {
  const objects = Array.from({ length: 2000 }, (_, i) => `<< /Type /Annot /Subtype /Link /Rect [0 0 ${i} 10] >>`);
  const offsets = objects.map((_, i) => `${i + 100} ${objects.slice(0, i).join("\n").length}`).join(" ");
  const objstm = deflateSync(Buffer.from(`${offsets}\n${objects.join("\n")}`));
  const parts = [Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  parts.push(
    Buffer.from(
      `1 0 obj\n<< /Type /ObjStm /N 2000 /First ${offsets.length + 1} /Filter /FlateDecode /Length ${objstm.length} >>\nstream\n`,
    ),
  );
  parts.push(objstm, Buffer.from("\nendstream\nendobj\n"));
  for (let n = 2; parts.reduce((sum, part) => sum + part.length, 0) < SIZE; n++) {
    const image = randomBytes(64 * 1024);
    parts.push(
      Buffer.from(
        `${n} 0 obj\n<< /Type /XObject /Subtype /Image /Width 128 /Height 128 /Filter /DCTDecode /Length ${image.length} >>\nstream\n`,
      ),
    );
    parts.push(image, Buffer.from("\nendstream\nendobj\n"));
  }
  parts.push(Buffer.from("trailer\n<< /Root 1 0 R >>\n%%EOF\n"));
  return Buffer.concat(parts);
}

/** A ZIP of 1,000 text entries, 10 KiB each, half stored and half deflated. */
function zipOf1000(): Buffer {
  // Text that starts as text: random base64 could start with a magic number ("MZ…") and be refused.
  const text = (i: number) => `Notes ${i}\n${randomBytes(7800).toString("base64")}`.slice(0, SIZE / 1000);
  return Buffer.from(
    zip(Array.from({ length: 1000 }, (_, i) => ({ name: `notes/${i}.txt`, data: text(i), store: i % 2 === 0 }))),
  );
}

/** The GPS photo fixture with 10 MiB of scan data: its metadata is stripped, the scan passed. */
function jpeg(): Buffer {
  const photo = readFileSync(new URL("../test/fixtures/inspection/gps.jpg", import.meta.url));
  const scan = photo.indexOf(Buffer.from([0xff, 0xda]));
  const sosEnd = scan + 2 + photo.readUInt16BE(scan + 2);
  const entropy = randomBytes(SIZE).map((byte) => (byte === 0xff ? 0xfe : byte));
  return Buffer.concat([photo.subarray(0, sosEnd), entropy, Buffer.from([0xff, 0xd9])]);
}

function plainText(length: number): Buffer {
  return Buffer.from(randomBytes(length).toString("base64").slice(0, length));
}

function request(bytes: Buffer): Request {
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, at + CHUNK));
      at += CHUNK;
    },
  });
  return new Request("http://bench.test/upload", { method: "POST", body, duplex: "half" } as RequestInit);
}

/** MiB per second of the median of ROUNDS uploads of each of `uploads`, taken in turn so both see the same load. */
async function throughputs(uploads: [bytes: Buffer, name: string, scanner?: VirusScanner][]): Promise<number[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "hatch-bench-inspect-"));
  const files = diskFileStore(dataDir);
  const times = uploads.map((): number[] => []);
  try {
    for (let round = 0; round < ROUNDS; round++)
      for (const [index, [bytes, name, scanner]] of uploads.entries()) {
        const started = performance.now();
        const stored = await receiveUpload(
          request(bytes),
          name,
          { ...POLICY, categories: [...POLICY.categories] },
          files,
        );
        if (scanner) await scanner.scan((await files.read(stored.id))!.stream);
        times[index]!.push(performance.now() - started);
        await files.remove(stored.id);
      }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return times.map((list, index) => {
    const median = list.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
    return uploads[index]![0].length / MIB / (median / 1000);
  });
}

const inputs: [label: string, name: string, bytes: Buffer][] = [
  ["PDF, 10 MiB", "report.pdf", pdf()],
  ["ZIP of 1,000 entries, 10 MiB", "notes.zip", zipOf1000()],
  ["JPEG with metadata, 10 MiB", "photo.jpg", jpeg()],
];

const clamd = await startClamd({ streamMaxLength: "64M" });
const scanner = clamdScanner(clamd.socketUrl);
console.log(
  `${"upload".padEnd(32)}${"bytes".padStart(10)}${"without MiB/s".padStart(15)}${"with MiB/s".padStart(12)}${"ratio".padStart(8)}${"with clamd".padStart(12)}${"ratio".padStart(8)}`,
);
try {
  for (const [label, name, bytes] of inputs) {
    const [without, withInspection, withClamd] = (await throughputs([
      [plainText(bytes.length), "notes.txt"],
      [bytes, name],
      [bytes, name, scanner],
    ])) as [number, number, number];
    const ratio = withInspection / without;
    console.log(
      `${label.padEnd(32)}${String(bytes.length).padStart(10)}${without.toFixed(0).padStart(15)}${withInspection.toFixed(0).padStart(12)}${ratio.toFixed(2).padStart(8)}${withClamd.toFixed(0).padStart(12)}${(withClamd / without).toFixed(2).padStart(8)}   ${ratio >= 0.5 ? "goal ≥ 0.5: met" : "goal ≥ 0.5: MISSED"}`,
    );
  }
} finally {
  await clamd.stop();
}
