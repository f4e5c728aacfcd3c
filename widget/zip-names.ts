// The names a ZIP lists in its central directory, read from the end of the file only: the widget's look
// inside an archive before sending it, which spares a visitor an upload the server would refuse (the
// server opens every entry and decides). Read here by hand, to APPNOTE.TXT §4.3.12 and §4.3.16: the
// widget needs the names alone, and a ZIP library in the panel would weigh more than the panel.

/** The end of central directory record: its signature, its fixed size, and the comment it may end with. */
const END_SIGNATURE = 0x06054b50;
const END_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;
/** A central directory file header: its signature and fixed size. */
const ENTRY_SIGNATURE = 0x02014b50;
const ENTRY_BYTES = 46;
/** Larger directories (more than some 10,000 entries) are the server's to judge: it refuses them as bombs. */
const MAX_DIRECTORY_BYTES = 1024 * 1024;
/** General purpose flag bit 11: the name is UTF-8 (else IBM 437, read here as Latin-1: the extension is ASCII). */
const UTF8_FLAG = 1 << 11;

const bytesOf = async (file: Blob, start: number, end: number) =>
  new DataView(await file.slice(start, end).arrayBuffer());

/** Where the end record starts in `tail`, searched from its end; -1 when there is none. */
function endRecordIn(tail: DataView): number {
  for (let at = tail.byteLength - END_BYTES; at >= 0; at--) if (tail.getUint32(at, true) === END_SIGNATURE) return at;
  return -1;
}

/**
 * The entry names of the ZIP `file`, in directory order; null when its directory cannot be read this way
 * (not a ZIP, damaged, ZIP64, or too large): then the server's reading is the only one.
 */
export async function zipEntryNames(file: Blob): Promise<string[] | null> {
  const tailStart = Math.max(0, file.size - END_BYTES - MAX_COMMENT_BYTES);
  const tail = await bytesOf(file, tailStart, file.size);
  const end = endRecordIn(tail);
  if (end < 0) return null;
  const count = tail.getUint16(end + 10, true);
  const size = tail.getUint32(end + 12, true);
  const offset = tail.getUint32(end + 16, true);
  // 0xFFFF and 0xFFFFFFFF say the ZIP64 record holds the real values.
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) return null;
  if (size > MAX_DIRECTORY_BYTES || offset + size > file.size) return null;
  const directory = await bytesOf(file, offset, offset + size);
  const names: string[] = [];
  const utf8 = new TextDecoder("utf-8");
  const latin1 = new TextDecoder("latin1");
  for (let at = 0, n = 0; n < count; n++) {
    if (at + ENTRY_BYTES > size || directory.getUint32(at, true) !== ENTRY_SIGNATURE) return null;
    const nameLength = directory.getUint16(at + 28, true);
    const next =
      at + ENTRY_BYTES + nameLength + directory.getUint16(at + 30, true) + directory.getUint16(at + 32, true);
    if (next > size) return null;
    const name = new Uint8Array(directory.buffer, directory.byteOffset + at + ENTRY_BYTES, nameLength);
    names.push(((directory.getUint16(at + 8, true) & UTF8_FLAG) !== 0 ? utf8 : latin1).decode(name));
    at = next;
  }
  return names;
}
