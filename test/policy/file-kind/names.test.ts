// The name rule of detectFile: text stays text only under a plain-text name, a name an OS acts on makes any file
// a script, any other name makes text `other`, and no name ever makes a file more lenient.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isCategoryAllowed, PRESETS, type Category } from "../../../policy/file-category";
import { detectFile } from "../../../policy/file-kind";
import { categoryByName, extensionOf, PLAIN_TEXT_EXTENSIONS, SCRIPT_EXTENSIONS } from "../../../policy/file-kind/names";
import { readFixture } from "../../fixtures/read";
import { SHELL_FILES } from "../../fixtures/shell-files";
const safe: readonly Category[] = PRESETS.safe;

/**
 * Fixtures of files that Windows, Office or macOS acts on when opened, whose bytes are text (issue 11, item 5),
 * with names a visitor could give them: their own, and others in another case or with trailing dots.
 */
const SHELL_NAMES: [fixture: string, name: string][] = [
  ["fixture.rdp", "fixture.rdp"],
  ["fixture.rdp", "Remote access.RDP"],
  ["fixture.library-ms", "fixture.library-ms"],
  ["fixture.library-ms", "Report.Library-MS"],
  ["fixture.searchConnector-ms", "fixture.searchConnector-ms"],
  ["fixture.searchConnector-ms", "invoices.SEARCHCONNECTOR-MS"],
  ["fixture.settingcontent-ms", "fixture.settingcontent-ms"],
  ["fixture.settingcontent-ms", "Settings.SettingContent-ms. ."],
  ["fixture.theme", "fixture.theme"],
  ["fixture.theme", "Dark.Theme"],
  ["fixture.website", "fixture.website"],
  ["fixture.url", "fixture.url"],
  ["fixture.iqy", "fixture.iqy"],
  ["fixture.iqy", "prices.IQY"],
  ["fixture.slk", "fixture.slk"],
  ["fixture.slk", "invoice.txt.slk"],
  ["fixture.pyw", "fixture.pyw"],
  ["fixture.appref-ms", "fixture.appref-ms"],
  ["fixture.terminal", "fixture.terminal"],
  ["fixture.scf", "fixture.scf"],
];
const SHELL_FIXTURES = [...new Set(SHELL_NAMES.map(([fixture]) => fixture))];

describe("names that an OS or Office acts on", () => {
  test("has a case for every fixture of shell-files.ts", () => {
    expect([...SHELL_FIXTURES].sort()).toEqual(Object.keys(SHELL_FILES).sort());
  });

  test.each(SHELL_FIXTURES)("%s is text by its bytes alone, which the default preset would take", (fixture) => {
    const found = detectFile(readFixture(fixture));
    expect(found.category).toBe("text");
    expect(isCategoryAllowed(found.category, safe)).toBe(true);
  });

  test.each(SHELL_NAMES)("makes %s named %j a script that the default preset refuses", (fixture, name) => {
    const found = detectFile(readFixture(fixture), name);
    expect(found).toMatchObject({ kind: extensionOf(name), category: "script" });
    expect(isCategoryAllowed(found.category, safe)).toBe(false);
    expect(isCategoryAllowed(found.category, PRESETS.images)).toBe(false);
  });

  test.each(SHELL_FIXTURES)("keeps the bytes of %s text under the name notes.txt", (fixture) => {
    expect(detectFile(readFixture(fixture), "notes.txt").category).toBe("text");
  });

  test.each([
    // Issue 11, item 5, and the list it was measured against.
    "rdp",
    "library-ms",
    "searchconnector-ms",
    "settingcontent-ms",
    "theme",
    "website",
    "iqy",
    "slk",
    "pyw",
    "appref-ms",
    "terminal",
    "scf",
    "ps1",
    "url",
    "bat",
    "cmd",
    "vbs",
    "js",
    "hta",
    "lnk",
    "reg",
    "scr",
    "wsf",
    "sh",
    "py",
    "desktop",
    "inf",
    "com",
    "pif",
  ])("lists .%s as a script", (extension) => {
    expect(SCRIPT_EXTENSIONS).toContain(extension);
  });

  test("lists each script extension once, in lower case and without its dot, and none that is plain text", () => {
    expect(new Set(SCRIPT_EXTENSIONS).size).toBe(SCRIPT_EXTENSIONS.length);
    expect(SCRIPT_EXTENSIONS.filter((extension) => !/^[a-z0-9][a-z0-9-]*$/.test(extension))).toEqual([]);
    expect(SCRIPT_EXTENSIONS.filter((extension) => PLAIN_TEXT_EXTENSIONS.includes(extension))).toEqual([]);
  });
});

describe("plain-text names", () => {
  test("are exactly .txt .log .csv .md .json and no extension", () => {
    expect([...PLAIN_TEXT_EXTENSIONS].sort()).toEqual(["", "csv", "json", "log", "md", "txt"]);
  });

  test.each([
    ["notes.txt", "notes.txt"],
    ["notes.txt", "NOTES.TXT"],
    ["notes.txt", "notes.txt. "],
    ["notes.txt", "app.log"],
    ["notes.txt", "orders.csv"],
    ["notes.txt", "Export.CSV"],
    ["notes.txt", "README.md"],
    ["notes.txt", "settings.json"],
    ["notes.txt", "README"],
    ["notes.txt", "notes."],
    ["notes.txt", "invoice.rdp.txt"],
    ["fixture-utf16.txt", "notes.txt"],
    ["fixture.xml", "notes.txt"],
    ["fixture.xml", "data.xml"],
    ["site.xml", "site.xml"],
    ["site.xml", "SITE.XML"],
    ["office.xml", "letter.txt"],
    ["fixture.library-ms", "library.txt"],
  ])("keep the bytes of %s named %j text, which the default preset takes", (fixture, name) => {
    const found = detectFile(readFixture(fixture), name);
    expect(found.category).toBe("text");
    expect(isCategoryAllowed(found.category, safe)).toBe(true);
  });
});

describe("any other name on text", () => {
  test.each([
    ["notes.txt", "notes.xyz", "text"],
    ["notes.txt", "letter.doc", "text"],
    ["notes.txt", "setup.INI", "text"],
    ["notes.txt", "config.yaml", "text"],
    ["notes.txt", "invoice.exe", "text"],
    ["notes.txt", "notes.txt.bak", "text"],
    ["notes.txt", ".bashrc", "text"],
    ["office.xml", "letter.xml", "office-xml"],
    ["long-prolog.xml", "data.xml", "office-xml"],
    ["notes.txt", "notes.xml", "text"],
    ["fixture.rdp", "access.rdp.bak", "text"],
  ])("makes the bytes of %s named %j other, refused by the default preset", (fixture, name, kind) => {
    const found = detectFile(readFixture(fixture), name);
    expect(found).toMatchObject({ kind, category: "other" });
    expect(isCategoryAllowed(found.category, safe)).toBe(false);
    expect(isCategoryAllowed(found.category, PRESETS.all)).toBe(true);
  });

  test.each([
    // A browser renders these from disk whatever the text is: "a <b onmouseover=…>" need not start with a tag.
    ["notes.txt", "page.html", "html"],
    ["notes.txt", "page.HTM", "htm"],
    ["notes.txt", "logo.svg", "svg"],
    ["fixture.xml", "page.xhtml", "xhtml"],
  ])("makes the bytes of %s named %j a script, not only other", (fixture, name, kind) => {
    expect(detectFile(readFixture(fixture), name)).toMatchObject({ kind, category: "script" });
  });
});

describe("the name never makes a file more lenient", () => {
  test.each([
    ["fixture.png", "photo.txt", "png", "image"],
    ["fixture.png", "photo.xyz", "png", "image"],
    ["fixture.mp3", "song.log", "mp3", "audio"],
    ["fixture.mp4", "clip.csv", "mp4", "video"],
    ["fixture.pdf", "invoice.md", "pdf", "document"],
    ["fixture.rtf", "letter.txt", "rtf", "document"],
    ["fixture.zip", "data.json", "zip", "archive"],
    ["fixture.exe", "readme.txt", "exe", "executable"],
    ["random.bin", "notes.txt", "unknown", "other"],
    ["one-byte.bin", "README", "unknown", "other"],
    ["fixture.sh", "notes.txt", "shebang", "script"],
    ["fixture.html", "page.txt", "html", "script"],
    ["svg-named-as.png", "logo.md", "svg", "script"],
    ["xml-with-stylesheet.xml", "note.json", "xml", "script"],
    ["fixture.xhtml", "page.csv", "xhtml", "script"],
  ])("keeps the bytes of %s named %j as %s, %s", (fixture, name, kind, category) => {
    expect(detectFile(readFixture(fixture), name)).toMatchObject({ kind, category });
  });

  test.each([
    ["fixture.png", "image.rdp", "png"],
    ["fixture.gif", "Report.Library-MS", "gif"],
    ["fixture.mp3", "playlist.m3u", "mp3"],
    ["fixture.zip", "setup.theme", "zip"],
  ])("makes the bytes of %s named %j a script, keeping the kind %s", (fixture, name, kind) => {
    expect(detectFile(readFixture(fixture), name)).toMatchObject({ kind, category: "script" });
  });

  test("never lets a preset take a file under a name that it refuses without one", () => {
    const fixtures = [
      "notes.txt",
      "fixture-utf16.txt",
      "fixture.xml",
      "site.xml",
      "office.xml",
      "fixture.png",
      "fixture.gif",
      "fixture.mp3",
      "fixture.pdf",
      "fixture.zip",
      "fixture.exe",
      "fixture.html",
      "svg-named-as.png",
      "xml-with-stylesheet.xml",
      "random.bin",
      "fixture.rdp",
      "fixture.library-ms",
    ].map((fixture) => readFixture(fixture));
    const extensions = fc.oneof(
      fc.constantFrom(
        ...SCRIPT_EXTENSIONS,
        ...PLAIN_TEXT_EXTENSIONS,
        "png",
        "jpg",
        "mp3",
        "pdf",
        "zip",
        "exe",
        "xml",
        "xyz",
      ),
      fc.string({ maxLength: 6 }),
    );
    const name = fc
      .record({
        stem: fc.constantFrom("notes", "Report", "a.b", "", "C:\\Users\\agent\\x"),
        extension: extensions,
        upper: fc.boolean(),
        trailing: fc.constantFrom("", ".", " ", ". ."),
      })
      .map(
        ({ stem, extension, upper, trailing }) => `${stem}.${upper ? extension.toUpperCase() : extension}${trailing}`,
      );
    const presets = Object.values(PRESETS);
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.oneof(name, fc.string()), (bytes, fileName) => {
        const unnamed = detectFile(bytes).category;
        const named = detectFile(bytes, fileName).category;
        // The name may only add: script from any category, other from text.
        expect([unnamed, "script", ...(unnamed === "text" ? ["other"] : [])], fileName).toContain(named);
        for (const preset of presets)
          if (isCategoryAllowed(named, preset)) expect(isCategoryAllowed(unnamed, preset), fileName).toBe(true);
      }),
      { seed: 20240101, numRuns: 2000 },
    );
  });
});

test("reads the extension as Windows does: the last one, any case, trailing dots and spaces dropped", () => {
  expect(
    ["Report.Library-MS", "run.ps1. . ", "archive.tar.gz", "README", "notes.", ".bashrc", ""].map(extensionOf),
  ).toEqual(["library-ms", "ps1", "gz", "", "", "bashrc", ""]);
});

test.each([
  ["tools/setup.exe", "executable"],
  ["Installer.MSI", "executable"],
  ["app-release.apk", "executable"],
  ["run.ps1. ", "script"],
  ["photos/open me.JS", "script"],
  ["notes.txt", null],
  ["photo.png", null],
  ["README", null],
] as const)("says from its name alone that %s is %s", (name, category) => {
  expect(categoryByName(name)).toBe(category);
});
