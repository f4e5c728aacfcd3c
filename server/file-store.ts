// Where uploaded files live: DATA_DIR/files/<id>. Ids are random and server-made, never a visitor's name.

import { join } from "node:path";

export function filesDir(dataDir: string): string {
  return join(dataDir, "files");
}

export function filePath(dataDir: string, fileId: string): string {
  if (!/^file_[A-Za-z0-9_-]{16}$/.test(fileId)) throw new Error(`not a file id: ${fileId}`);
  return join(filesDir(dataDir), fileId);
}
