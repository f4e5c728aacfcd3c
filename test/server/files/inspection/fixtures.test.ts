// Every inspection fixture (test/fixtures/inspection/, made by make.sh with real tools) uploaded through
// receiveUpload() into a real store: the code it is refused with, or stored when clean, and nothing of a
// refused file left behind.
import { afterAll, describe, expect, test } from "vitest";
import { fixture, tempStore, upload } from "./upload";

const store = tempStore();
afterAll(store.remove);

/** Fixture → the 415 code it earns, null when it passes; under every category but programs and scripts. */
const EXPECTED: Record<string, string | null> = {
  "clean.pdf": null,
  "clean.docx": null,
  "clean.doc": null,
  "clean.tar.gz": null,
  "images.zip": null,
  "gps.jpg": null,
  "text.png": null,
  "exif.webp": null,
  "js-openaction.pdf": "active_content",
  "js-objstm.pdf": "active_content",
  "js-hex.pdf": "active_content",
  "launch.pdf": "active_content",
  "embedded.pdf": "active_content",
  "encrypted.pdf": "encrypted",
  "macro.docm": "macro",
  "macro.doc": "macro",
  "macro.xls": "macro",
  "macro.odt": "macro",
  "docm-inside.docx": "macro",
  "exe-inside.docx": "archive_content",
  "encrypted.zip": "encrypted",
  "exe-inside.zip": "archive_content",
  "nested-3.zip": "archive_content",
  "nested-4.zip": "archive_content",
  "script.tar.gz": "archive_content",
  "bomb.zip": "archive_bomb",
  "bomb.gz": "archive_bomb",
};

describe("inspection of the fixtures", () => {
  test.each(Object.entries(EXPECTED))("%s → %s", async (name, code) => {
    const before = store.held();
    const result = await upload(store.files, name, fixture(name));
    if (code === null) expect(result).toMatchObject({ name });
    else {
      expect(result).toMatchObject({ status: 415, code });
      expect(store.held()).toEqual(before);
    }
  });

  test("names the entry that refuses an archive", async () => {
    expect(await upload(store.files, "exe-inside.zip", fixture("exe-inside.zip"))).toMatchObject({
      message: "exe-inside.zip contains setup.exe, which cannot be sent in this chat: send the archive without it.",
    });
    expect(await upload(store.files, "nested-3.zip", fixture("nested-3.zip"))).toMatchObject({
      message: expect.stringContaining("contains level2.zip/level3.zip/tool,"),
    });
    expect(await upload(store.files, "script.tar.gz", fixture("script.tar.gz"))).toMatchObject({
      message: expect.stringContaining("contains script.tar.gz/run.sh,"),
    });
  });

  test("lets programs inside an archive through when the policy allows programs", async () => {
    const all = ["image", "document", "archive", "audio", "video", "text", "executable", "script"] as const;
    expect(
      await upload(store.files, "exe-inside.zip", fixture("exe-inside.zip"), { categories: [...all] }),
    ).toMatchObject({
      kind: "zip",
    });
    expect(
      await upload(store.files, "script.tar.gz", fixture("script.tar.gz"), { categories: [...all] }),
    ).toMatchObject({
      kind: "gz",
    });
  });

  test("finds a VBA storage whatever the case of its name, as Office reads it", async () => {
    const utf16 = (text: string) => Buffer.from(text, "utf16le");
    const bytes = Buffer.from(fixture("macro.doc"));
    for (const [name, renamed] of [
      ["Macros", "mACROS"],
      ["VBA", "vba"],
    ] as const)
      utf16(renamed).copy(bytes, bytes.indexOf(utf16(`${name}\0`)));
    expect(bytes.includes(utf16("vba\0"))).toBe(true);
    expect(await upload(store.files, "macro.doc", bytes)).toMatchObject({ status: 415, code: "macro" });
  });
});
