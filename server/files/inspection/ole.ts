// Old Office files (OLE2 compound files: .doc .xls .ppt) with VBA macros, found in one pass over the bytes. A
// compound file's directory entries are 128 bytes each in sectors of 512 or 4096 bytes that follow a
// one-sector header, so every entry starts at a multiple of 128 in the file ([MS-CFB] §2.6); each such
// record is read as an entry, and a storage named like Office's VBA project ([MS-OVBA] §2.2.1: `VBA`,
// `_VBA_PROJECT_CUR` in Excel, `Macros` in Word) means macros. Reading every aligned record instead of
// following the FAT chains needs no random access and cannot loop on a crafted chain; a data sector
// that looks exactly like such an entry (an embedded Office file with macros, in practice) refuses too.

import type { ByteReader } from "./byte-reader";
import { refuse } from "./refusal";

/** Storages that hold a VBA project, upper-cased: compound files compare names without case ([MS-CFB] §2.6.4). */
const VBA_STORAGES = new Set(["VBA", "_VBA_PROJECT_CUR", "MACROS"]);
const ENTRY_BYTES = 128;
const NAME_BYTES = 64;
const STORAGE = 1;

/** Whether a 128-byte record is a directory entry for a storage named like a VBA project. */
function isVbaStorage(entry: Buffer): boolean {
  if (entry[66] !== STORAGE) return false;
  const nameBytes = entry.readUInt16LE(NAME_BYTES);
  if (nameBytes < 4 || nameBytes > NAME_BYTES || nameBytes % 2 !== 0) return false;
  return VBA_STORAGES.has(entry.toString("utf16le", 0, nameBytes - 2).toUpperCase());
}

/** Scans a compound file chunk by chunk for a VBA storage; `found` once one has passed. */
class OleScanner {
  private partial = Buffer.alloc(0);
  found = false;

  push(chunk: Uint8Array): void {
    if (this.found) return;
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.partial.length > 0) bytes = Buffer.concat([this.partial, bytes]);
    const whole = bytes.length - (bytes.length % ENTRY_BYTES);
    for (let at = 0; at < whole && !this.found; at += ENTRY_BYTES)
      this.found = isVbaStorage(bytes.subarray(at, at + ENTRY_BYTES));
    this.partial = Buffer.from(bytes.subarray(whole));
  }
}

/** Refuses the upload `name`, an old Office file alone or inside another, when it holds a VBA project. */
export async function scanOle(name: string, reader: ByteReader): Promise<void> {
  const scanner = new OleScanner();
  for await (const chunk of reader.rest()) {
    scanner.push(chunk);
    if (scanner.found) refuse("macro", name);
  }
}
