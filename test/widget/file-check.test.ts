// The widget's look before an upload: a ZIP's central directory read from the end of the file, a program
// or a script listed in it refused by its name (the server reads every entry's bytes and decides), and a
// directory it cannot read this way left to the server. Real fixtures, and ZIPs built here for the edges.
import { describe, expect, it } from "vitest";
import type { Category } from "../../policy/file-category";
import { checkFile } from "../../widget/file-check";
import { zipEntryNames } from "../../widget/zip-names";
import { concat, u16le, zip } from "../fixtures/build";
import { fixture } from "../server/files/inspection/upload";

const ARCHIVES: { categories: Category[]; maxBytes: number } = {
  categories: ["image", "text", "archive"],
  maxBytes: 10 * 1024 * 1024,
};
const fileOf = (bytes: Uint8Array, name: string) => new File([new Uint8Array(bytes)], name);

describe("a ZIP before it is sent", () => {
  it("lists the names of a real archive made by zip", async () => {
    expect(await zipEntryNames(fileOf(fixture("exe-inside.zip"), "x.zip"))).toEqual(["notes.txt", "setup.exe"]);
  });

  it("refuses an archive listing a program or a script the policy refuses, naming the entry", async () => {
    expect(await checkFile(fileOf(fixture("exe-inside.zip"), "tools.zip"), ARCHIVES)).toEqual({
      code: "archive_content",
      entry: "setup.exe",
    });
    const scripted = zip([
      { name: "photos/cat.png", data: "not really" },
      { name: "photos/open me.JS", data: "alert(1)" },
    ]);
    expect(await checkFile(fileOf(scripted, "photos.zip"), ARCHIVES)).toEqual({
      code: "archive_content",
      entry: "photos/open me.JS",
    });
  });

  it("lets an archive of allowed files go, and one whose programs the policy allows", async () => {
    expect(await checkFile(fileOf(fixture("images.zip"), "images.zip"), ARCHIVES)).toBeNull();
    const everything = { ...ARCHIVES, categories: [...ARCHIVES.categories, "executable" as const] };
    expect(await checkFile(fileOf(fixture("exe-inside.zip"), "tools.zip"), everything)).toBeNull();
  });

  it("reads past an archive comment, and UTF-8 names as UTF-8", async () => {
    const named = zip([{ name: "résumé.txt", data: "hi" }]);
    // The builder writes names as Latin-1 without the UTF-8 flag: read as Latin-1, the name comes back whole.
    expect(await zipEntryNames(fileOf(named, "x.zip"))).toEqual(["résumé.txt"]);
    const comment = "made for the test";
    const commented = concat(named.subarray(0, named.length - 2), u16le(comment.length), comment);
    expect(await zipEntryNames(fileOf(commented, "x.zip"))).toEqual(["résumé.txt"]);
  });

  it.each([
    ["cut short", (bytes: Uint8Array) => bytes.subarray(0, bytes.length - 30)],
    [
      "a directory past the end",
      (bytes: Uint8Array) =>
        concat(bytes.subarray(0, bytes.length - 6), new Uint8Array([0xff, 0xff, 0xff, 0x7f, 0, 0])),
    ],
    [
      "ZIP64's markers",
      (bytes: Uint8Array) =>
        concat(bytes.subarray(0, bytes.length - 12), u16le(0xffff), bytes.subarray(bytes.length - 10)),
    ],
  ])("leaves a directory %s to the server", async (_case, damage) => {
    const damaged = damage(fixture("exe-inside.zip"));
    expect(await zipEntryNames(fileOf(damaged, "x.zip"))).toBeNull();
  });
});
