// The sample files the host page offers for download, built by the repo's fixture generator
// (test/fixtures/make-files.ts) from each format's spec: nothing is downloaded from anywhere.
// Each entry names the category DESIGN.md "File policy" gives its bytes, so the page can say what
// Hatch should do with it under each file preset; test/e2e/demo.test.ts checks that detection agrees.

import { PRESETS, type Category, type PresetName } from "../policy/file-category";
import { refusalMessage } from "../policy/file-messages";
import { FIXTURE_FILES } from "../test/fixtures/make-files";

export interface SampleFile {
  /** The fixture's name, which is also the name it downloads as. */
  name: string;
  what: string;
  /** The category its bytes belong to, whatever its name says. */
  category: Category;
}

export const SAMPLE_FILES: readonly SampleFile[] = [
  { name: "fixture.png", category: "image", what: "A real 1×1 PNG image." },
  { name: "fixture.jpg", category: "image", what: "A real 8×8 JPEG photo." },
  { name: "notes.txt", category: "text", what: "Plain UTF-8 text." },
  {
    name: "html-named-as.png",
    category: "script",
    what: "An HTML page with a <script>, named like a PNG: Hatch goes by the bytes, not the name.",
  },
  {
    name: "svg-with-script.svg",
    category: "script",
    what: "An SVG drawing that runs JavaScript when opened: SVG counts as a script, not an image.",
  },
  { name: "fixture.zip", category: "archive", what: "A ZIP archive with text files inside." },
  { name: "fixture.pdf", category: "document", what: "A one-page PDF." },
  { name: "fixture.sh", category: "script", what: "A shell script (#!/bin/sh)." },
  { name: "fixture.exe", category: "executable", what: "A Windows program header (PE32+): an executable." },
  { name: "exe-named-as.pdf", category: "executable", what: "The same program, named like a PDF." },
];

/** The file presets of the console's Live Chat Window page, in its order, with its names. */
export const FILE_PRESETS: readonly { id: PresetName; label: string }[] = [
  { id: "safe", label: "No harmful files (the default)" },
  { id: "images", label: "Images only" },
  { id: "all", label: "All files" },
];

/** What Hatch should do with a file of `category` under `preset`: send it, or refuse it with these words. */
export function outcomeUnder(
  category: Category,
  preset: PresetName,
): { sent: true } | { sent: false; message: string } {
  const allowed: readonly Category[] = PRESETS[preset];
  return allowed.includes(category) ? { sent: true } : { sent: false, message: refusalMessage(allowed) };
}

/** A sample file's bytes, or undefined when `name` is not a sample file. */
export function sampleFileBytes(name: string): Uint8Array | undefined {
  return SAMPLE_FILES.some((file) => file.name === name) ? FIXTURE_FILES[name] : undefined;
}
