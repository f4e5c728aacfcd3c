// The one EXIF tag kept when an image's metadata is stripped: Orientation (EXIF 2.32 §4.6.4, tag 0x0112),
// without which a phone's portrait photo shows on its side. Read from a TIFF structure, and written back
// as the smallest TIFF that holds it.

const ORIENTATION_TAG = 0x0112;
const SHORT = 3;

/** The Orientation (2 to 8) in a TIFF structure's first IFD; null when absent, upright (1) or unreadable. */
export function orientationOf(tiff: Buffer): number | null {
  if (tiff.length < 8) return null;
  const order = tiff.toString("latin1", 0, 2);
  if (order !== "II" && order !== "MM") return null;
  const little = order === "II";
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const ifd = little ? tiff.readUInt32LE(4) : tiff.readUInt32BE(4);
  if (ifd + 2 > tiff.length) return null;
  const count = u16(ifd);
  for (let index = 0; index < count; index++) {
    const at = ifd + 2 + index * 12;
    if (at + 12 > tiff.length) return null;
    if (u16(at) !== ORIENTATION_TAG || u16(at + 2) !== SHORT) continue;
    const value = u16(at + 8);
    return value >= 2 && value <= 8 ? value : null;
  }
  return null;
}

/** A little-endian TIFF structure with one IFD of one entry: the Orientation. 26 bytes. */
export function orientationTiff(orientation: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write("II", 0, "latin1");
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4); // the IFD follows the header
  tiff.writeUInt16LE(1, 8); // one entry
  tiff.writeUInt16LE(ORIENTATION_TAG, 10);
  tiff.writeUInt16LE(SHORT, 12);
  tiff.writeUInt32LE(1, 14); // one value, kept in the entry itself
  tiff.writeUInt16LE(orientation, 18);
  return tiff; // bytes 22–25: no next IFD
}
