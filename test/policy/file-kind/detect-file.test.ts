// detectFile over the generated fixtures, the traps, the 4 KiB window, the name rule and file-type as oracle.
import fc from "fast-check";
import { fileTypeFromBuffer } from "file-type";
import { describe, expect, test } from "vitest";
import type { Category } from "../../../policy/file-category";
import { detectFile, SNIFF_BYTES } from "../../../policy/file-kind";
import { matchSignature, SIGNATURES, type Signature } from "../../../policy/file-kind/magic";
import { HTML_PATTERNS } from "../../../policy/file-kind/markup";
import { EBML_DOCTYPES, FTYP_BRANDS, OGG_CODECS } from "../../../policy/file-kind/media";
import { extensionOf, SCRIPT_EXTENSIONS } from "../../../policy/file-kind/names";
import { OOXML_FOLDERS, ZIP_MIMETYPES, ZIP_PACKAGES } from "../../../policy/file-kind/zip";
import { fixtureNames, readFixture } from "../../fixtures/read";
const ascii = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));

/** Every fixture with the kind and category it must be detected as, given its own file name. */
const EXPECTED: Record<string, [kind: string, category: Category]> = {
  "fixture.png": ["png", "image"],
  "fixture.jpg": ["jpg", "image"],
  "fixture.gif": ["gif", "image"],
  "fixture-87a.gif": ["gif", "image"],
  "fixture.webp": ["webp", "image"],
  "fixture.bmp": ["bmp", "image"],
  "fixture.ico": ["ico", "image"],
  "fixture.tif": ["tif", "image"],
  "fixture-be.tif": ["tif", "image"],
  "fixture.avif": ["avif", "image"],
  "fixture.heic": ["heic", "image"],
  "fixture.heif": ["heif", "image"],
  "fixture.pdf": ["pdf", "document"],
  "fixture-offset.pdf": ["pdf", "document"],
  "fixture.rtf": ["rtf", "document"],
  "fixture.cfb": ["cfb", "document"],
  "fixture.docx": ["docx", "document"],
  "fixture.xlsx": ["xlsx", "document"],
  "fixture.pptx": ["pptx", "document"],
  "fixture.odt": ["odt", "document"],
  "fixture.ods": ["ods", "document"],
  "fixture.odp": ["odp", "document"],
  "fixture.epub": ["epub", "document"],
  "fixture.zip": ["zip", "archive"],
  "fixture-empty.zip": ["zip", "archive"],
  "fixture.jar": ["jar", "executable"],
  "fixture.apk": ["apk", "executable"],
  "fixture.rar": ["rar", "archive"],
  "fixture-v4.rar": ["rar", "archive"],
  "fixture.7z": ["7z", "archive"],
  "fixture.gz": ["gz", "archive"],
  "fixture.bz2": ["bz2", "archive"],
  "fixture.xz": ["xz", "archive"],
  "fixture.zst": ["zst", "archive"],
  "fixture.tar": ["tar", "archive"],
  "fixture-gnu.tar": ["tar", "archive"],
  "fixture.mp3": ["mp3", "audio"],
  "fixture-frames.mp3": ["mp3", "audio"],
  "fixture.wav": ["wav", "audio"],
  "fixture.flac": ["flac", "audio"],
  "fixture.ogg": ["ogg", "audio"],
  "fixture.opus": ["opus", "audio"],
  "fixture.oga": ["oga", "audio"],
  "fixture.spx": ["spx", "audio"],
  "fixture.m4a": ["m4a", "audio"],
  "fixture.mp4": ["mp4", "video"],
  "fixture.m4v": ["m4v", "video"],
  "fixture.mov": ["mov", "video"],
  "fixture.3gp": ["3gp", "video"],
  "fixture.webm": ["webm", "video"],
  "fixture.mkv": ["mkv", "video"],
  "fixture.ogv": ["ogv", "video"],
  "fixture.avi": ["avi", "video"],
  "fixture.elf": ["elf", "executable"],
  "fixture.exe": ["exe", "executable"],
  "fixture.macho": ["macho", "executable"],
  "fixture-64be.macho": ["macho", "executable"],
  "fixture-32le.macho": ["macho", "executable"],
  "fixture-32be.macho": ["macho", "executable"],
  "fixture-fat.macho": ["macho", "executable"],
  "fixture.class": ["class", "executable"],
  "fixture.wasm": ["wasm", "executable"],
  "fixture.sh": ["shebang", "script"],
  "fixture.html": ["html", "script"],
  "fixture.svg": ["svg", "script"],
  "fixture.xhtml": ["xhtml", "script"],
  // Plain XML is text, as .xml too; XML that asks for Word, or whose prolog outlasts the window, is not
  // under that name (policy/file-kind/names.ts). A declared single-byte encoding needs no UTF-8.
  "fixture.xml": ["xml", "text"],
  "site.xml": ["xml", "text"],
  "office.xml": ["office-xml", "other"],
  "long-prolog.xml": ["office-xml", "other"],
  "xml-with-stylesheet.xml": ["xml", "script"],
  "notes.txt": ["text", "text"],
  "fixture-utf16.txt": ["text", "text"],
  "html-named-as.png": ["html", "script"],
  "svg-with-script.svg": ["svg", "script"],
  "svg-named-as.png": ["svg", "script"],
  "zip-named-as.jpg": ["zip", "archive"],
  "exe-named-as.pdf": ["exe", "executable"],
  "text-named-as.ps1": ["ps1", "script"],
  // Text that Windows, Office or macOS acts on when opened: its name makes it a script (names.test.ts).
  "fixture.rdp": ["rdp", "script"],
  "fixture.library-ms": ["library-ms", "script"],
  "fixture.searchConnector-ms": ["searchconnector-ms", "script"],
  "fixture.settingcontent-ms": ["settingcontent-ms", "script"],
  "fixture.theme": ["theme", "script"],
  "fixture.website": ["website", "script"],
  "fixture.url": ["url", "script"],
  "fixture.iqy": ["iqy", "script"],
  "fixture.slk": ["slk", "script"],
  "fixture.pyw": ["pyw", "script"],
  "fixture.appref-ms": ["appref-ms", "script"],
  "fixture.terminal": ["terminal", "script"],
  "fixture.scf": ["scf", "script"],
  "empty.bin": ["unknown", "other"],
  "one-byte.bin": ["unknown", "other"],
  "random.bin": ["unknown", "other"],
};
const FIXTURES = fixtureNames();

describe("detectFile on the fixture files", () => {
  test.each(Object.entries(EXPECTED))("detects %s as %j", (file, [kind, category]) => {
    expect(detectFile(readFixture(file), file)).toMatchObject({ kind, category });
  });

  test("lists every file of the fixture folder in the table, and nothing else", () => {
    expect(FIXTURES).toEqual(Object.keys(EXPECTED).sort());
  });

  test("has a fixture for every entry of the magic table", () => {
    const matched = new Set(FIXTURES.map((file) => matchSignature(readFixture(file))?.signature));
    const label = (entry: Signature) =>
      ("file" in entry ? entry.file.kind : entry.container) + " " + JSON.stringify(entry.at);
    expect(SIGNATURES.filter((entry) => !matched.has(entry)).map(label)).toEqual([]);
  });

  test("has a fixture for every kind in the container tables", () => {
    const detected = new Set(FIXTURES.map((file) => detectFile(readFixture(file)).kind));
    const tables = [FTYP_BRANDS, OGG_CODECS, EBML_DOCTYPES, OOXML_FOLDERS, ZIP_PACKAGES].flatMap((table) =>
      table.map((entry) => entry.file),
    );
    const kinds = [...tables, ...ZIP_MIMETYPES].map((file) => file.kind);
    expect(kinds.filter((kind) => !detected.has(kind))).toEqual([]);
  });

  test("gives every fixture the same kind with or without its name, except text that its name makes a script", () => {
    for (const file of FIXTURES) {
      const [kind, category] = EXPECTED[file] ?? [];
      const unnamed = detectFile(readFixture(file));
      if (unnamed.category === "text" && category === "script") expect(kind, file).toBe(extensionOf(file));
      else expect(unnamed.kind, file).toBe(kind);
    }
  });
});

describe("inputs that must not be taken for a binary format", () => {
  test.each([
    ["MZ inside a text, not at its start", utf8("Build notes: the MZ header comes first.\n"), "text"],
    ["a text starting with ID3 and a space", utf8("ID3 tags hold the title of a song.\n"), "text"],
    [
      "ID3 followed by garbage",
      Uint8Array.from([0x49, 0x44, 0x33, 0x09, 0xff, 0x80, 0x90, 0x90, 0x90, 0x90]),
      "unknown",
    ],
    [
      "an ID3 tag glued to an HTML page",
      new Uint8Array([...ascii("ID3\x04\0\0\0\0\0\0"), ...utf8("<html><script>alert(1)</script>")]),
      "unknown",
    ],
    ["a truncated PNG signature", ascii("\x89PNG\r\n"), "unknown"],
    ["a PNG signature with its last byte wrong", ascii("\x89PNG\r\n\x1a\x0b"), "unknown"],
    ['"BM" in text: a bitmap needs zero reserved bytes', utf8("BMW and Audi, notes.\n"), "text"],
    ['"BM" with zero reserved bytes but no DIB header', ascii("BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x07\0\0\0"), "unknown"],
    ["an icon directory with no images", ascii("\0\0\x01\0\0\0"), "unknown"],
    ["a cursor directory (type 2) is not an icon", ascii("\0\0\x02\0\x01\0\x01\x01\0\0\x01\0\x20\0"), "unknown"],
    ['"PK" in text', utf8("PK, the initials of Phil Katz.\n"), "text"],
    ['"II*" in text: TIFF needs a zero after it', utf8("II* is not a TIFF.\n"), "text"],
    ['"GIF8" without a version', utf8("GIF8 of the month\n"), "text"],
    ['"BZh9" without a block magic', utf8("BZh9 looks like bzip2.\n"), "text"],
    ['"fLaC" without STREAMINFO', utf8("fLaC is FLAC spelled oddly.\n"), "text"],
    ['"OggS" with no stream header', utf8("OggS and then text.\n"), "text"],
    ['"RIFF" with an unknown form', ascii("RIFF\x10\0\0\0TEXTsome"), "unknown"],
    ['"ftyp" with an unknown brand', ascii("\0\0\0\x10ftypzzzz\0\0\0\0"), "unknown"],
    ['"\\x7fELF" with a bad class byte', ascii("\x7fELF\x09\x01\x01\0"), "unknown"],
    ["0xCAFEBABE with neither an arch count nor a class version", ascii("\xca\xfe\xba\xbe\0\x01\0\x10"), "unknown"],
    [
      "a single MPEG frame header with nothing after it",
      Uint8Array.from([0xff, 0xfb, 0x10, 0xc4, 0, 0, 0, 0]),
      "unknown",
    ],
    [
      "MPEG frame sync with a reserved sample rate",
      Uint8Array.from([0xff, 0xfb, 0x1c, 0xc4, ...new Uint8Array(200)]),
      "unknown",
    ],
    [
      "an ADTS AAC header (layer 0) is not MP3",
      Uint8Array.from([0xff, 0xf1, 0x50, 0x80, ...new Uint8Array(200)]),
      "unknown",
    ],
    ["a tar magic at 257 with a wrong checksum", tarWithBadChecksum(), "unknown"],
    ['"ustar" in text at 257', utf8(`${"x".repeat(257)}ustar  \0`), "unknown"],
    ['"%PDF-" after 1024 bytes of text', utf8(`${"a".repeat(1024)}%PDF-1.4\n`), "text"],
    ["a root element whose name only starts with svg", utf8("<svgfoo>hello</svgfoo>\n"), "text"],
    ["a tag that is not on the WHATWG list", utf8("<custom-tag>hello</custom-tag>\n"), "text"],
  ])("reads %s as %j", (_, bytes, kind) => {
    expect(detectFile(bytes).kind).toBe(kind);
  });

  test("names what follows an ID3 tag when it is another format, such as a tagged FLAC", () => {
    const tagged = new Uint8Array([...ascii("ID3\x04\0\0\0\0\0\0"), ...readFixture("fixture.flac")]);
    expect(detectFile(tagged).kind).toBe("flac");
  });

  test("takes text that starts with MZ for an executable: two bytes are all a DOS program needs", () => {
    expect(detectFile(utf8("MZ is where the DOS header starts.\n")).kind).toBe("exe");
  });
});

function tarWithBadChecksum(): Uint8Array {
  const header = readFixture("fixture.tar").slice(0, 1024);
  header[148] = header[148] === 0x37 ? 0x36 : 0x37;
  return header;
}

describe("markup, by the WHATWG MIME Sniffing rules", () => {
  test.each(HTML_PATTERNS.flatMap((pattern) => [`${pattern}>`, `${pattern.toLowerCase()} `]))(
    "takes %j for HTML",
    (start) => {
      expect(detectFile(utf8(`${start}x</p>`)).kind).toBe("html");
    },
  );

  test.each([
    ["after leading whitespace", " \t\r\n\f<div>hi</div>", "html"],
    ["after a UTF-8 BOM", "\ufeff<html><body>", "html"],
    ["with binary bytes after the tag", "<script>\0\x01\x02", "html"],
    ["not when the tag ends with a newline (not a tag-terminating byte)", "<html\n<body>", "text"],
    ["not when the pattern is a prefix of a longer tag", "<bogus>", "text"],
    ["an XML declaration as XML", '<?xml version="1.0"?><a/>', "xml"],
    ["SVG behind a comment and a doctype", "<!-- c --><!DOCTYPE svg><svg>", "svg"],
    ["SVG behind a doctype with an internal subset holding '>'", '<!DOCTYPE svg [<!ENTITY a "x>y">]><svg>', "svg"],
    ["SVG with a namespace prefix", '<?xml version="1.0"?><svg:svg xmlns:svg="http://www.w3.org/2000/svg"/>', "svg"],
    ["SVG in upper case", "<SVG onload=alert(1)>", "svg"],
    ["XML naming the XHTML namespace", '<?xml version="1.0"?><x xmlns:h="http://www.w3.org/1999/xhtml"/>', "xml"],
  ])("detects markup %s", (_, text, kind) => {
    expect(detectFile(utf8(text)).kind).toBe(kind);
  });

  test("counts XML that names the SVG namespace as script", () => {
    expect(detectFile(utf8('<?xml version="1.0"?><x xmlns:s="http://www.w3.org/2000/svg"/>'))).toMatchObject({
      kind: "xml",
      category: "script",
    });
  });

  test("reads HTML in UTF-16 with a BOM, either byte order", () => {
    const page = "<html><body>hi</body></html>";
    const le = new Uint8Array([0xff, 0xfe, ...Buffer.from(page, "utf16le")]);
    const be = new Uint8Array([0xfe, 0xff, ...Buffer.from(page, "utf16le").swap16()]);
    expect(detectFile(le).kind).toBe("html");
    expect(detectFile(be).kind).toBe("html");
  });

  test("leaves XML with binary bytes unidentified, since only text can be XML", () => {
    expect(detectFile(utf8('<?xml version="1.0"?>\0\x01')).kind).toBe("unknown");
  });

  // Latin-1 bytes (é is 0xE9) are not UTF-8: text only when the declaration says which encoding they are in.
  test.each([
    ["declares ISO-8859-1", '<?xml version="1.0" encoding="ISO-8859-1"?>\n<n>caf\xe9</n>\n', "xml"],
    [
      "declares windows-1252 in single quotes",
      "<?xml version='1.0' encoding='windows-1252'?>\n<n>caf\xe9</n>\n",
      "xml",
    ],
    ["declares no encoding (so UTF-8)", '<?xml version="1.0"?>\n<n>caf\xe9</n>\n', "unknown"],
    ["declares UTF-8", '<?xml version="1.0" encoding="UTF-8"?>\n<n>caf\xe9</n>\n', "unknown"],
    [
      "declares ISO-8859-1 but holds a binary byte",
      '<?xml version="1.0" encoding="ISO-8859-1"?>\n<n>\x01caf\xe9</n>\n',
      "unknown",
    ],
    [
      "names the encoding only after the declaration",
      '<?xml version="1.0"?>\n<n encoding="ISO-8859-1">caf\xe9</n>\n',
      "unknown",
    ],
  ])("reads non-UTF-8 XML that %s as %s", (_, text, kind) => {
    expect(detectFile(new Uint8Array(Buffer.from(text, "latin1"))).kind).toBe(kind);
  });
});

describe("plain text", () => {
  test.each([
    ["UTF-8 with an ESC (terminal colours)", utf8("\x1b[31mred\x1b[0m\n"), "text"],
    ["a form feed and a tab", utf8("page one\fpage\ttwo\n"), "text"],
    ["a binary data byte 0x1C", utf8("file\x1cseparator\n"), "unknown"],
    ["a NUL", utf8("nul\0byte\n"), "unknown"],
    ["an overlong UTF-8 encoding of '/'", Uint8Array.from([0x61, 0xc0, 0xaf, 0x62]), "unknown"],
    ["a UTF-8 encoded surrogate", Uint8Array.from([0x61, 0xed, 0xa0, 0x80, 0x62]), "unknown"],
    ["a code point above U+10FFFF", Uint8Array.from([0x61, 0xf4, 0x90, 0x80, 0x80]), "unknown"],
    ["a lone continuation byte", Uint8Array.from([0x61, 0x80, 0x62]), "unknown"],
    ["a multibyte sequence cut at the end", Uint8Array.from([0x61, 0x62, 0xe2, 0x98]), "text"],
    ["a multibyte sequence cut in the middle", Uint8Array.from([0x61, 0xe2, 0x98, 0x62]), "unknown"],
    ["UTF-16 with a lone low surrogate", Uint8Array.from([0xff, 0xfe, 0x61, 0, 0x00, 0xdc, 0x62, 0]), "unknown"],
    ["UTF-16 with an odd last byte", Uint8Array.from([0xff, 0xfe, 0x61, 0, 0x62, 0, 0x63]), "text"],
  ])("reads %s as %s", (_, bytes, kind) => {
    expect(detectFile(bytes).kind).toBe(kind);
  });

  test("leaves a one-byte file unidentified, printable or not", () => {
    expect(detectFile(ascii("A"))).toEqual({ kind: "unknown", mime: "application/octet-stream", category: "other" });
    expect(detectFile(new Uint8Array(0)).kind).toBe("unknown");
  });

  test("takes a shebang for a script whatever follows it", () => {
    expect(detectFile(utf8("#!/usr/bin/env python3\nprint('hi')\n"))).toMatchObject({
      kind: "shebang",
      category: "script",
    });
  });
});

describe("only the first SNIFF_BYTES bytes are read", () => {
  test("keeps 1 MiB of text with a NUL at byte 5000 as text", () => {
    const bytes = new Uint8Array(1024 * 1024).fill(0x61);
    bytes[5000] = 0;
    expect(detectFile(bytes).kind).toBe("text");
  });

  test("does not see a NUL just past the window, and does see it just inside", () => {
    const bytes = new Uint8Array(SNIFF_BYTES + 16).fill(0x61);
    bytes[SNIFF_BYTES] = 0;
    expect(detectFile(bytes).kind).toBe("text");
    bytes[SNIFF_BYTES - 1] = 0;
    expect(detectFile(bytes).kind).toBe("unknown");
  });

  test("does not see a <script> tag that starts past the window after leading whitespace", () => {
    const bytes = utf8(`${" ".repeat(SNIFF_BYTES)}<script>alert(1)</script>`);
    expect(detectFile(bytes).kind).toBe("text");
    expect(detectFile(bytes.subarray(SNIFF_BYTES)).kind).toBe("html");
  });

  test("calls a ZIP plain when its Office part lies past the window", () => {
    const header = (name: string, size: number) => [
      ...ascii("PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0"),
      ...le32(size),
      ...le32(size),
      name.length,
      0,
      0,
      0,
      ...ascii(name),
    ];
    const office = (padding: number) =>
      new Uint8Array([
        ...header("[Content_Types].xml", 0),
        ...header("padding.bin", padding),
        ...new Uint8Array(padding),
        ...header("word/document.xml", 0),
      ]);
    expect(detectFile(office(16)).kind).toBe("docx");
    expect(detectFile(office(SNIFF_BYTES)).kind).toBe("zip");
  });

  test("accepts a UTF-8 character cut by the window edge", () => {
    const bytes = utf8(`${"a".repeat(SNIFF_BYTES - 1)}☕ and more`);
    expect(detectFile(bytes).kind).toBe("text");
  });

  test("gives a 1 MiB file the kind of its first SNIFF_BYTES bytes", () => {
    for (const file of ["fixture.png", "notes.txt", "fixture.zip", "random.bin"]) {
      const big = new Uint8Array(1024 * 1024).fill(0xff);
      big.set(readFixture(file).subarray(0, SNIFF_BYTES));
      expect(detectFile(big)).toEqual(detectFile(big.subarray(0, SNIFF_BYTES)));
    }
  });
});

function le32(value: number): number[] {
  return [value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >>> 24];
}

describe("the name only makes a file stricter", () => {
  test.each([
    ["notes.txt", "notes.txt", "text", "text"],
    ["text-named-as.ps1", "run.ps1", "ps1", "script"],
    ["text-named-as.ps1", "RUN.PS1", "ps1", "script"],
    ["text-named-as.ps1", "run.ps1. . ", "ps1", "script"],
    ["text-named-as.ps1", "C:\\Users\\agent\\Downloads\\install.bat", "bat", "script"],
    ["notes.txt", "EICAR.COM", "com", "script"],
    ["notes.txt", "notes", "text", "text"],
    ["fixture.xml", "page.xhtml", "xhtml", "script"],
    ["fixture.png", "image.ps1", "png", "script"],
    ["fixture.gif", "invoice.js", "gif", "script"],
    ["fixture.png", "photo.jpg", "png", "image"],
    ["fixture.html", "page.txt", "html", "script"],
    ["svg-named-as.png", "logo.png", "svg", "script"],
    ["zip-named-as.jpg", "photo.jpg", "zip", "archive"],
    ["exe-named-as.pdf", "invoice.pdf", "exe", "executable"],
    ["random.bin", "notes.txt", "unknown", "other"],
    ["empty.bin", "run.ps1", "unknown", "script"],
  ])("detects the bytes of %s named %j as %s, %s", (file, name, kind, category) => {
    expect(detectFile(readFixture(file), name)).toMatchObject({ kind, category });
  });

  test("turns text into a script for every listed extension, in any case", () => {
    const text = readFixture("notes.txt");
    for (const extension of SCRIPT_EXTENSIONS) {
      expect(detectFile(text, `file.${extension.toUpperCase()}`)).toMatchObject({
        kind: extension,
        category: "script",
      });
    }
  });
});

// file-type's extensions for formats both detectors know, with our kind(s) and the category they imply.
const ORACLE: Record<string, { kinds: string[]; category: Category }> = {
  png: { kinds: ["png"], category: "image" },
  apng: { kinds: ["png"], category: "image" },
  // JPEG-LS shares the JPEG start of image; TIFF-based camera raws share the TIFF header.
  jpg: { kinds: ["jpg"], category: "image" },
  jls: { kinds: ["jpg"], category: "image" },
  ...Object.fromEntries(["cr2", "nef", "arw", "dng"].map((ext) => [ext, { kinds: ["tif"], category: "image" }])),
  gif: { kinds: ["gif"], category: "image" },
  webp: { kinds: ["webp"], category: "image" },
  bmp: { kinds: ["bmp"], category: "image" },
  ico: { kinds: ["ico"], category: "image" },
  tif: { kinds: ["tif"], category: "image" },
  avif: { kinds: ["avif"], category: "image" },
  heic: { kinds: ["heic", "heif"], category: "image" },
  pdf: { kinds: ["pdf"], category: "document" },
  rtf: { kinds: ["rtf"], category: "document" },
  cfb: { kinds: ["cfb"], category: "document" },
  epub: { kinds: ["epub"], category: "document" },
  ...Object.fromEntries(
    ["docx", "docm", "dotx", "dotm"].map((ext) => [ext, { kinds: ["docx"], category: "document" }]),
  ),
  ...Object.fromEntries(
    ["xlsx", "xlsm", "xltx", "xltm"].map((ext) => [ext, { kinds: ["xlsx"], category: "document" }]),
  ),
  ...Object.fromEntries(
    ["pptx", "pptm", "potx", "potm", "ppsx", "ppsm"].map((ext) => [ext, { kinds: ["pptx"], category: "document" }]),
  ),
  odt: { kinds: ["odt"], category: "document" },
  ods: { kinds: ["ods"], category: "document" },
  odp: { kinds: ["odp"], category: "document" },
  zip: { kinds: ["zip"], category: "archive" },
  rar: { kinds: ["rar"], category: "archive" },
  "7z": { kinds: ["7z"], category: "archive" },
  gz: { kinds: ["gz"], category: "archive" },
  bz2: { kinds: ["bz2"], category: "archive" },
  xz: { kinds: ["xz"], category: "archive" },
  zst: { kinds: ["zst"], category: "archive" },
  tar: { kinds: ["tar"], category: "archive" },
  mp3: { kinds: ["mp3"], category: "audio" },
  wav: { kinds: ["wav"], category: "audio" },
  flac: { kinds: ["flac"], category: "audio" },
  ogg: { kinds: ["ogg"], category: "audio" },
  opus: { kinds: ["opus"], category: "audio" },
  oga: { kinds: ["oga"], category: "audio" },
  spx: { kinds: ["spx"], category: "audio" },
  m4a: { kinds: ["m4a"], category: "audio" },
  m4b: { kinds: ["m4a"], category: "audio" },
  m4p: { kinds: ["m4a"], category: "audio" },
  mp4: { kinds: ["mp4"], category: "video" },
  f4v: { kinds: ["mp4"], category: "video" },
  m4v: { kinds: ["m4v"], category: "video" },
  mov: { kinds: ["mov"], category: "video" },
  "3gp": { kinds: ["3gp"], category: "video" },
  "3g2": { kinds: ["3gp"], category: "video" },
  webm: { kinds: ["webm"], category: "video" },
  mkv: { kinds: ["mkv"], category: "video" },
  ogv: { kinds: ["ogv"], category: "video" },
  avi: { kinds: ["avi"], category: "video" },
  elf: { kinds: ["elf"], category: "executable" },
  exe: { kinds: ["exe"], category: "executable" },
  macho: { kinds: ["macho"], category: "executable" },
  class: { kinds: ["class"], category: "executable" },
  wasm: { kinds: ["wasm"], category: "executable" },
  jar: { kinds: ["jar"], category: "executable" },
  apk: { kinds: ["apk"], category: "executable" },
};
const BINARY_KINDS = new Set(Object.values(ORACLE).flatMap((entry) => entry.kinds));
// Our ZIP-based kinds, and file-type's extensions for ZIP-based formats (some we do not tell apart).
const ZIP_BASED = new Set([
  "docx",
  "docm",
  "dotx",
  "dotm",
  "xlsx",
  "xlsm",
  "xltx",
  "xltm",
  "pptx",
  "pptm",
  "potx",
  "potm",
  "ppsx",
  "ppsm",
  "odt",
  "ott",
  "ods",
  "ots",
  "odp",
  "otp",
  "odg",
  "otg",
  "epub",
  "jar",
  "apk",
  "xpi",
  "vsdx",
  "3mf",
]);

const FTYP_CATEGORIES = new Map(FTYP_BRANDS.map((entry) => [entry.file.kind, entry.file.category]));

/**
 * Whether our kind and file-type's extension name the same format, allowing for known differences:
 * - one names only the ZIP the other looks into (we read entry names in the first 4 KiB; file-type also
 *   inflates [Content_Types].xml);
 * - ISO-BMFF brands: file-type reads the major brand only and answers mp4 when it does not know it; we go
 *   on to the compatible brands (an AVIF whose major brand is damaged is still an AVIF by them). Within a
 *   category the brand is a detail (3gp or mp4); across categories only file-type's mp4 fallback differs.
 */
function sameFormat(kind: string, ext: string): boolean {
  const theirs = ORACLE[ext];
  if (theirs?.kinds.includes(kind)) return true;
  const ours = FTYP_CATEGORIES.get(kind);
  if (ours && (ext === "mp4" || (theirs?.kinds.some((k) => FTYP_CATEGORIES.has(k)) && theirs.category === ours)))
    return true;
  return (kind === "zip" && ZIP_BASED.has(ext)) || (ext === "zip" && ZIP_BASED.has(kind));
}

// fixture-offset.pdf is text with a PDF after a banner: Acrobat reads it, file-type does not.
const BINARY_FIXTURES = FIXTURES.filter(
  (file) => BINARY_KINDS.has(EXPECTED[file]?.[0] ?? "") && file !== "fixture-offset.pdf",
);

describe("agreement with file-type", () => {
  test.each(BINARY_FIXTURES)("agrees with file-type on %s", async (file) => {
    const bytes = readFixture(file);
    const theirs = await fileTypeFromBuffer(bytes);
    expect(ORACLE[theirs?.ext ?? ""]?.kinds).toContain(detectFile(bytes).kind);
  });

  test("never names a different format than file-type on cut and edited fixtures, and may only know less", async () => {
    const variant = fc.record({
      file: fc.constantFrom(...BINARY_FIXTURES),
      cut: fc.option(fc.nat(), { nil: undefined }),
      // Half the edits land in the first 32 bytes, where the magic numbers and header checks are.
      edits: fc.array(fc.tuple(fc.oneof(fc.nat(31), fc.nat()), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      tail: fc.uint8Array({ maxLength: 64 }),
    });
    await fc.assert(
      fc.asyncProperty(variant, async ({ file, cut, edits, tail }) => {
        const original = readFixture(file);
        const bytes = new Uint8Array([
          ...original.subarray(0, cut === undefined ? original.length : cut % (original.length + 1)),
          ...tail,
        ]);
        for (const [at, value] of edits) if (bytes.length > 0) bytes[at % bytes.length] = value;
        const ours = detectFile(bytes).kind;
        const theirs = (await fileTypeFromBuffer(bytes))?.ext;
        if (theirs === undefined) return;
        // Where file-type names a format we know, we name it too or know less: only its ZIP, or nothing
        // (unknown, or text when every byte is text: file-type names formats from "GIF" or "BZh" alone).
        const knowsLess = ours === "unknown" || ours === "text";
        if (theirs in ORACLE)
          expect(knowsLess || sameFormat(ours, theirs), `${ours} vs file-type ${theirs}`).toBe(true);
        // Where we name a binary format, file-type does not name another.
        if (BINARY_KINDS.has(ours)) expect(sameFormat(ours, theirs), `${ours} vs file-type ${theirs}`).toBe(true);
      }),
      { seed: 20240101, numRuns: 400 },
    );
  });
});
