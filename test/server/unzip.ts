// A ZIP read back whole in memory, for the tests that check what an archive Hatch made holds.
import yauzl from "yauzl";

/** The entries of a ZIP, each with its bytes. */
export function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzl.Entry) =>
        zip.openReadStream(entry, async (failed, stream) => {
          if (failed) return reject(failed);
          const parts: Buffer[] = [];
          for await (const part of stream) parts.push(part as Buffer);
          entries.set(entry.fileName, Buffer.concat(parts));
          zip.readEntry();
        }),
      );
      zip.on("end", () => resolve(entries));
      zip.readEntry();
    });
  });
}
