// The sample files the host page offers for download, built by the repo's fixture generator
// (test/fixtures/make-files.ts) from each format's spec: nothing is downloaded from anywhere.
// Each entry names the category DESIGN.md "File policy" gives its bytes, so the page can say what
// Hatch should do with it under each file preset; test/e2e/demo.test.ts checks that detection agrees.

import { PRESETS, type Category, type PresetName } from "../policy/file-category";
import { readFileSync } from "node:fs";
import { inspectionMessage, refusalMessage, type InspectionRefusal } from "../policy/file-messages";
import { FIXTURE_FILES } from "../test/fixtures/make-files";

export interface SampleFile {
  /** The fixture's name, which is also the name it downloads as. */
  name: string;
  what: string;
  /** The category its bytes belong to, whatever its name says. */
  category: Category;
  /** Where its kind is allowed, what the server's inspection refuses it for after the upload (issue #28). */
  inspection?: InspectionRefusal["code"];
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
  {
    name: "macro.docm",
    category: "document",
    inspection: "macro",
    what: "A Word document with a VBA macro: refused by the server wherever documents are allowed.",
  },
  {
    name: "js-openaction.pdf",
    category: "document",
    inspection: "active_content",
    what: "A PDF that runs JavaScript when opened: refused by the server wherever documents are allowed.",
  },
  {
    name: "exe-inside.zip",
    category: "archive",
    inspection: "archive_content",
    what: "A ZIP with a program inside: refused unless programs may be sent too.",
  },
  {
    name: "bomb.zip",
    category: "archive",
    inspection: "archive_bomb",
    what: "A small ZIP that unpacks to 100 MiB of zeros: refused without unpacking it.",
  },
  {
    name: "gps.jpg",
    category: "image",
    what: "A photo with its GPS position in EXIF: sent, and stored without it (the orientation kept).",
  },
];

/** Sample files the repo's inspection fixtures provide (test/fixtures/inspection/, made by real tools). */
const INSPECTION_SAMPLES: ReadonlySet<string> = new Set([
  "macro.docm",
  "js-openaction.pdf",
  "exe-inside.zip",
  "bomb.zip",
  "gps.jpg",
]);

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

/**
 * What the server's inspection does with a sample file of an allowed kind: refuse it, in the visitor's
 * words, or keep it (the ZIP with a program inside passes where programs may be sent).
 */
export function inspectionOutcome(
  file: SampleFile,
  preset: PresetName,
): { refused: false } | { refused: true; message: string } {
  if (file.inspection === undefined) return { refused: false };
  if (file.inspection === "archive_content") {
    if ((PRESETS[preset] as readonly Category[]).includes("executable")) return { refused: false };
    return {
      refused: true,
      message: inspectionMessage({ code: "archive_content", name: file.name, entry: "setup.exe", why: "refused" }),
    };
  }
  return { refused: true, message: inspectionMessage({ code: file.inspection, name: file.name }) };
}

/** A sample file's bytes, or undefined when `name` is not a sample file. */
export function sampleFileBytes(name: string): Uint8Array | undefined {
  if (!SAMPLE_FILES.some((file) => file.name === name)) return undefined;
  if (INSPECTION_SAMPLES.has(name))
    return new Uint8Array(readFileSync(new URL(`../test/fixtures/inspection/${name}`, import.meta.url)));
  return FIXTURE_FILES[name];
}
