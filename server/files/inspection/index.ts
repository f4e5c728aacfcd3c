// The inspection of an upload (DESIGN.md "Screening, inspection, privacy, notifications"), chosen by the
// kind its first bytes showed: a check that runs as the bytes pass to the store (PDF), checks that read
// the stored bytes back (archives, ZIP-based and old Office documents), and the stripping of images'
// metadata, which changes the bytes stored. Nothing here holds a whole upload in memory.

import type { Category } from "../../../policy/file-category";
import type { FileKind } from "../../../policy/file-kind/kind";
import { judgeEntry } from "./archive";
import { scanOle } from "./ole";
import { countBytes, newWalk as walkWith, zipModeOf } from "./walk";
import { ByteReader } from "./byte-reader";
import { stripJpeg } from "./jpeg";
import { PdfScanner } from "./pdf";
import { stripPng } from "./png";
import { refuse } from "./refusal";
import type { StoredBytes } from "./store-reader";
import { gzipDeclaredSize, walkGzip, walkTar } from "./tar";
import { planWebp, rewriteWebp } from "./webp";
import { walkZipStore } from "./zip";

export { Refusal } from "./refusal";
export type { StoredBytes } from "./store-reader";

/** A rewrite of the stored bytes, read from them as they are: what is stored instead. */
type Rewrite = (stored: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;

/** One upload's inspection: what it does to the bytes on their way in, and to them once stored. */
export interface Inspection {
  /** The bytes to store, from the bytes that arrive: the same, or an image without its metadata. */
  through(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
  /** Judges the stored bytes (throws a Refusal); a rewrite when they must be stored otherwise. */
  check(stored: StoredBytes): Promise<Rewrite | null>;
}

const NOTHING: Inspection = { through: (source) => source, check: async () => null };

/** The inspection for an upload named `name` whose first bytes are `kind`, judged against `categories`. */
export function inspectionFor(kind: FileKind, name: string, categories: readonly Category[]): Inspection {
  const zipMode = zipModeOf(kind);
  if (zipMode) return afterStored((stored) => walkZipStore(newWalk(name, stored.size, categories), stored, zipMode));
  switch (kind.kind) {
    case "pdf":
      return pdfInspection(name);
    case "cfb":
      return afterStored((stored) => reading(stored, (reader) => scanOle(name, reader)));
    case "gz":
      return afterStored(async (stored) => {
        const walk = newWalk(name, stored.size, categories);
        countBytes(walk, await gzipDeclaredSize(stored));
        await reading(stored, (reader) => walkGzip(walk, reader.rest(), name, 1));
      });
    case "tar":
      return afterStored((stored) =>
        reading(stored, (reader) => walkTar(newWalk(name, stored.size, categories), reader, 1, `${name}/`)),
      );
    case "jpg":
      return { through: stripJpeg, check: async () => null };
    case "png":
      return { through: stripPng, check: async () => null };
    case "webp":
      return { through: (source) => source, check: webpRewrite };
    default:
      return NOTHING;
  }
}

/** A walk over an upload and all it holds, each entry judged by archive.ts. */
function newWalk(name: string, size: number, categories: readonly Category[]) {
  return walkWith(name, size, categories, judgeEntry);
}

/** Runs `use` on a reader of the stored bytes, closing the file however it ends (a walk may stop early). */
async function reading<T>(stored: StoredBytes, use: (reader: ByteReader) => Promise<T>): Promise<T> {
  const reader = new ByteReader(await stored.read());
  try {
    return await use(reader);
  } finally {
    await reader.close();
  }
}

/** An inspection that reads the stored bytes back and changes nothing. */
function afterStored(judge: (stored: StoredBytes) => Promise<void>): Inspection {
  return {
    through: (source) => source,
    check: async (stored) => {
      await judge(stored);
      return null;
    },
  };
}

/** A PDF scanned as its bytes pass, judged once they are all stored. */
function pdfInspection(name: string): Inspection {
  const scanner = new PdfScanner();
  return {
    async *through(source) {
      for await (const chunk of source) {
        await scanner.push(chunk);
        yield chunk;
      }
    },
    async check() {
      const finding = await scanner.end();
      if (finding) refuse(finding, name);
      return null;
    },
  };
}

/** A WebP with metadata is written again without it (webp.ts says why it takes a second read). */
async function webpRewrite(stored: StoredBytes): Promise<Rewrite | null> {
  const plan = await reading(stored, (reader) => planWebp(reader.rest()));
  return plan && ((bytes) => rewriteWebp(bytes, plan));
}
