// Uploads a fixture (or any bytes) through receiveUpload() into a real file store in a temporary DATA_DIR,
// in chunks as a request body brings them: what the inspection tests share.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Category } from "../../../../policy/file-category";
import type { HoldBudget } from "../../../../server/files/inspection";
import { receiveUpload } from "../../../../server/files/uploads";
import { ApiError } from "../../../../server/http/errors";
import type { StoredFile } from "../../../../server/store/conversations";
import { diskFileStore, type FileStore } from "../../../../server/store/file-store";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "fixtures", "inspection");

/** Every category but programs and scripts: archives and documents pass by kind, so what is inside decides. */
const NOT_PROGRAMS: Category[] = ["image", "document", "archive", "audio", "video", "text"];

export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

/** A store in a fresh DATA_DIR, and what files it holds (partial ones included). */
export function tempStore(): { files: FileStore; held: () => string[]; remove: () => void } {
  const dataDir = mkdtempSync(join(tmpdir(), "hatch-inspect-"));
  const held = () => {
    try {
      return readdirSync(join(dataDir, "files"));
    } catch {
      return [];
    }
  };
  return { files: diskFileStore(dataDir), held, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** The request body of `bytes`, `chunkBytes` at a time. */
function body(bytes: Uint8Array, chunkBytes: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunkBytes));
      at += chunkBytes;
    },
  });
}

/** How an upload is sent and received: what the policy allows, the body's pieces, what a ZIP may keep in memory. */
interface UploadOptions {
  categories?: Category[];
  chunkBytes?: number;
  maxBytes?: number;
  budget?: HoldBudget;
}

/** The stored file, or the refusal's status and code (and its message). */
export async function upload(
  files: FileStore,
  name: string,
  bytes: Uint8Array,
  { categories = NOT_PROGRAMS, chunkBytes = 16 * 1024, maxBytes = 200 * 1024 * 1024, budget }: UploadOptions = {},
): Promise<StoredFile | { status: number; code: string; message: string }> {
  const request = new Request("http://hatch.test/upload", {
    method: "POST",
    body: body(bytes, chunkBytes),
    duplex: "half",
  } as RequestInit);
  try {
    return await receiveUpload(request, name, { categories, maxBytes }, files, budget);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { status: error.status, code: error.code, message: error.message };
  }
}

/** The stored bytes of a file. */
export async function storedBytes(files: FileStore, id: string): Promise<Buffer> {
  const found = await files.read(id);
  const parts: Buffer[] = [];
  for await (const part of found!.stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}
