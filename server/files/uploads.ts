// server/files/: what is done with a file's bytes on the way in: detection, then inspection (inspection/).
// A visitor's upload: streamed to the file store, never held whole in memory. Its first bytes are detected
// with policy/'s detectFile and a disallowed kind is refused (415) before the rest is read; the
// size limit (413) is checked against Content-Length first and against the bytes as they arrive. Then
// what it holds is inspected (415 with the inspection's code), before anyone can see it.

import { Readable } from "node:stream";
import { HIDDEN_CHARACTER_CLASSES } from "../../policy/chat";
import { isCategoryAllowed } from "../../policy/file-category";
import { detectFile, SNIFF_BYTES } from "../../policy/file-kind";
import {
  disguiseMessage,
  disguiseOf,
  EMPTY_FILE_MESSAGE,
  inspectionMessage,
  refusalMessage,
  tooLargeMessage,
} from "../../policy/file-messages";
import type { FilePolicy } from "../../policy/schema";
import { ApiError } from "../http/errors";
import { newId } from "../ids";
import type { StoredFile } from "../store/conversations";
import type { FileStore } from "../store/file-store";
import { MAX_FILE_NAME_CHARS } from "../limits";
import { inspectionFor, Refusal, type HoldBudget, type Inspection, type StoredBytes } from "./inspection";

/** Hidden characters (policy/chat.ts: U+202E shows "gnp.exe" as "exe.png") and path separators. */
const UNSAFE_IN_FILE_NAME = new RegExp(`[${HIDDEN_CHARACTER_CLASSES}/\\\\]`, "gu");

/** The visitor's name for the file, made safe to show and to put in a header; never trusted for its kind. */
export function cleanFileName(raw: string): string {
  let name = raw;
  try {
    name = decodeURIComponent(raw);
  } catch {
    // Not percent-encoded: take it as it is.
  }
  // Cut at the limit, but never between the two halves of an emoji: a lone surrogate is no text at all.
  name = name
    .replace(UNSAFE_IN_FILE_NAME, "_")
    .trim()
    .slice(0, MAX_FILE_NAME_CHARS)
    .replace(/[\uD800-\uDBFF]$/, "");
  return name === "" ? "file" : name;
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, "too_large", tooLargeMessage(maxBytes));
}

/**
 * The next chunk of the body. A body that breaks off (the visitor left, or a shutdown ran out of
 * time) is the sender's doing, answered 400 and not logged as the server's error.
 */
async function nextChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  try {
    return await reader.read();
  } catch {
    throw new ApiError(400, "upload_cut", "The upload broke off before the whole file arrived: send it again.");
  }
}

/** Reads just enough of the body to know what the bytes are; `done` when that was all of it. */
async function readHead(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<{ head: Buffer; done: boolean }> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  while (bytes < SNIFF_BYTES) {
    const chunk = await nextChunk(reader);
    if (chunk.done) return { head: Buffer.concat(chunks), done: true };
    chunks.push(chunk.value);
    bytes += chunk.value.byteLength;
  }
  return { head: Buffer.concat(chunks), done: false };
}

/** The head already read, then the rest as it arrives, counted against the limit on the way. */
function theRest(reader: ReadableStreamDefaultReader<Uint8Array>, head: Buffer, done: boolean, maxBytes: number) {
  let size = 0;
  async function* bytes() {
    yield head;
    for (let finished = done; !finished;) {
      const chunk = await nextChunk(reader);
      if (chunk.done) finished = true;
      else yield chunk.value;
    }
  }
  async function* counted() {
    for await (const chunk of bytes()) {
      size += chunk.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      yield chunk;
    }
  }
  return counted();
}

/**
 * Receives a visitor's upload: refused by its declared length (413), by what its first bytes are
 * (415), by its length as it arrives (413), or by what inspection finds in it (415 with the inspection's
 * code); otherwise stored whole under a new id, an image without its metadata, and `size` is what was stored.
 * A ZIP is kept in memory within `budget` while it is inspected (inspection/held-copy.ts).
 */
export async function receiveUpload(
  request: Request,
  rawName: string,
  policy: FilePolicy,
  files: FileStore,
  budget?: HoldBudget,
): Promise<StoredFile> {
  const name = cleanFileName(rawName);
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > policy.maxBytes) throw tooLarge(policy.maxBytes);
  if (!request.body) throw new ApiError(400, "empty_file", EMPTY_FILE_MESSAGE);
  const reader = request.body.getReader();
  const { head, done } = await readHead(reader);
  if (head.byteLength === 0) throw new ApiError(400, "empty_file", EMPTY_FILE_MESSAGE);
  const kind = detectFile(head.subarray(0, SNIFF_BYTES), name);
  if (!isCategoryAllowed(kind.category, policy.categories)) {
    await reader.cancel();
    const disguise = disguiseOf(name, kind);
    const refusal = refusalMessage(policy.categories);
    throw new ApiError(415, "file_type", disguise ? `${disguiseMessage(disguise)} ${refusal}` : refusal, {
      fields: {
        kind: kind.kind,
        category: kind.category,
      },
    });
  }
  const inspection = inspectionFor(kind, name, policy.categories, budget);
  try {
    const stored = await storeAll(files, inspection.through(theRest(reader, head, done, policy.maxBytes)), reader);
    const id = await inspected(files, stored, inspection);
    return { id, name, size: stored.size, kind: kind.kind, mime: kind.mime, category: kind.category };
  } finally {
    inspection.release();
  }
}

/** Stores the whole body; on any failure the visitor's stream is cancelled too. */
async function storeAll(
  files: FileStore,
  bytes: AsyncIterable<Uint8Array>,
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<{ id: string; size: number }> {
  try {
    return await store(files, bytes);
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
}

/** Stores `bytes` under a new id, counting them: what is stored may be fewer than what arrived. */
async function store(files: FileStore, bytes: AsyncIterable<Uint8Array>): Promise<{ id: string; size: number }> {
  const id = newId("file");
  let size = 0;
  async function* counted() {
    for await (const chunk of bytes) {
      size += chunk.byteLength;
      yield chunk;
    }
  }
  await files.write(id, counted());
  return { id, size };
}

/**
 * Runs the inspection's check over the stored bytes: a refusal (415, the inspection's code) or any failure
 * removes them; a rewrite stores the bytes again and removes the first ones. The id kept, and `stored.size` updated.
 */
async function inspected(
  files: FileStore,
  stored: { id: string; size: number },
  inspection: Inspection,
): Promise<string> {
  const bytes: StoredBytes = {
    size: stored.size,
    read: async () => (await files.read(stored.id))?.stream ?? Readable.from([]),
    readRange: (start, end) => files.readRange(stored.id, start, end),
  };
  try {
    const rewrite = await inspection.check(bytes);
    if (!rewrite) return stored.id;
    const again = await store(files, rewrite(await bytes.read()));
    await files.remove(stored.id);
    stored.size = again.size;
    return again.id;
  } catch (error) {
    await files.remove(stored.id);
    if (!(error instanceof Refusal)) throw error;
    throw new ApiError(415, error.refusal.code, inspectionMessage(error.refusal), {
      fields: "entry" in error.refusal ? { entry: error.refusal.entry } : undefined,
    });
  }
}
