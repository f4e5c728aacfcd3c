// The inspection of an upload (DESIGN.md "Screening, inspection, privacy, notifications"), chosen by the
// kind its first bytes showed: a check that runs as the bytes pass to the store (PDF), checks that read
// the stored bytes back (archives, ZIP-based and old Office documents), and the stripping of images'
// metadata, which changes the bytes stored. Nothing here holds a whole upload in memory, except a ZIP
// within held-copy.ts's bounds, walked in the copy kept as it passed rather than read back.

import type { Category } from "../../../policy/file-category";
import type { FileKind } from "../../../policy/file-kind/kind";
import { judgeEntry } from "./archive";
import { scanOle } from "./ole";
import { countBytes, newWalk as walkWith, zipModeOf, type ZipMode } from "./walk";
import { ByteReader } from "./byte-reader";
import { HeldCopy, HOLD_BUDGET, type HoldBudget } from "./held-copy";
import { stripJpeg } from "./jpeg";
import { PdfScanner } from "./pdf";
import { stripPng } from "./png";
import { refuse } from "./refusal";
import { storedPieces, type StoredBytes } from "./store-reader";
import { gzipDeclaredSize, walkGzip, walkTar } from "./tar";
import { planWebp, rewriteWebp } from "./webp";
import { walkZip } from "./zip";

export { Refusal } from "./refusal";
export type { StoredBytes } from "./store-reader";
export { HoldBudget } from "./held-copy";

/** A rewrite of the stored bytes, read from them as they are: what is stored instead. */
type Rewrite = (stored: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;

/** One upload's inspection: what it does to the bytes on their way in, and to them once stored. */
export interface Inspection {
  /** The bytes to store, from the bytes that arrive: the same, or an image without its metadata. */
  through(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
  /** Judges the stored bytes (throws a Refusal); a rewrite when they must be stored otherwise. */
  check(stored: StoredBytes): Promise<Rewrite | null>;
  /** Gives back the memory the inspection holds, however the upload ended. */
  release(): void;
}

const NOTHING: Inspection = { through: (source) => source, check: async () => null, release: () => undefined };

/**
 * The inspection for an upload named `name` whose first bytes are `kind`, judged against `categories`; a
 * ZIP is kept in memory within `budget` as it passes.
 */
export function inspectionFor(
  kind: FileKind,
  name: string,
  categories: readonly Category[],
  budget = HOLD_BUDGET,
): Inspection {
  const zipMode = zipModeOf(kind);
  if (zipMode) return zipInspection(name, categories, zipMode, budget);
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
      return { ...NOTHING, through: stripJpeg };
    case "png":
      return { ...NOTHING, through: stripPng };
    case "webp":
      return { ...NOTHING, check: webpRewrite };
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
    ...NOTHING,
    check: async (stored) => {
      await judge(stored);
      return null;
    },
  };
}

/** A ZIP walked in the copy kept as it passed (held-copy.ts), or read back from the store when none was kept. */
function zipInspection(name: string, categories: readonly Category[], mode: ZipMode, budget: HoldBudget): Inspection {
  const copy = new HeldCopy(budget);
  return {
    through: (source) => copy.keep(source),
    async check(stored) {
      const walk = newWalk(name, stored.size, categories);
      await walkZip(walk, copy.kept(stored.size) ?? storedPieces(stored), mode);
      return null;
    },
    release: () => copy.release(),
  };
}

/** A PDF scanned as its bytes pass, judged once they are all stored. */
function pdfInspection(name: string): Inspection {
  const scanner = new PdfScanner();
  return {
    ...NOTHING,
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
