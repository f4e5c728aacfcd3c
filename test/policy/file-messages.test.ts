// The words a visitor reads when a file is refused.
import { describe, expect, it, test } from "vitest";
import type { Category } from "../../policy/file-category";
import {
  disguiseMessage,
  disguiseOf,
  formatBytes,
  refusalMessage,
  sizeInUnits,
  tooLargeMessage,
  type Disguise,
} from "../../policy/file-messages";

describe("what a visitor is told", () => {
  test.each<[Category[], string]>([
    [[], "Files cannot be sent in this chat."],
    [["image"], "Only images can be sent in this chat."],
    [["image", "text"], "Only images and text files can be sent in this chat."],
    [["image", "audio", "video", "text"], "Only images, audio files, videos and text files can be sent in this chat."],
  ])("names the allowed categories %j", (allowed, message) => {
    expect(refusalMessage(allowed)).toBe(message);
  });

  test.each([
    [900, "900 bytes"],
    [1536, "1.5 KB"],
    [10 * 1024 * 1024, "10 MB"],
  ])("writes %d bytes as %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  test.each([
    [900, { amount: 900, unit: "bytes" }],
    [1536, { amount: 1.5, unit: "KB" }],
    [10 * 1024 * 1024, { amount: 10, unit: "MB" }],
  ])("gives %d bytes as a number and a unit, for the widget to write in the visitor's language", (bytes, size) => {
    expect(sizeInUnits(bytes)).toEqual(size);
  });

  test("says the limit of a file that is too large", () => {
    expect(tooLargeMessage(10 * 1024 * 1024)).toBe("This file is larger than the 10 MB this chat accepts.");
  });
});

describe("a disguise: a name claiming another kind than the bytes", () => {
  test.each<[string, { kind: string; category: Category }, Disguise | null]>([
    ["photo.png", { kind: "html", category: "script" }, { name: "photo.png", claimed: "image", found: "webpage" }],
    [
      "Invoice.PDF",
      { kind: "exe", category: "executable" },
      { name: "Invoice.PDF", claimed: "document", found: "executable" },
    ],
    ["song.mp3", { kind: "zip", category: "archive" }, { name: "song.mp3", claimed: "audio", found: "archive" }],
    ["notes.txt", { kind: "xhtml", category: "script" }, { name: "notes.txt", claimed: "text", found: "webpage" }],
    ["photo.png", { kind: "png", category: "image" }, null],
    ["photo.jpeg", { kind: "jpg", category: "image" }, null],
    ["page.html", { kind: "html", category: "script" }, null],
    ["no-extension", { kind: "html", category: "script" }, null],
    ["archive.", { kind: "zip", category: "archive" }, null],
  ])("%s with %j bytes", (name, detected, disguise) => {
    expect(disguiseOf(name, detected)).toEqual(disguise);
  });

  it("is said in a sentence the visitor understands", () => {
    expect(disguiseMessage({ name: "photo.png", claimed: "image", found: "webpage" })).toBe(
      "photo.png is not an image: it contains a web page.",
    );
    expect(disguiseMessage({ name: "cv.docx", claimed: "document", found: "other" })).toBe(
      "cv.docx is not a document: it contains something unrecognised.",
    );
  });
});
