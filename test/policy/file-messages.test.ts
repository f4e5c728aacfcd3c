// The words a visitor reads when a file is refused.
import { describe, expect, test } from "vitest";
import type { Category } from "../../policy/file-category";
import { formatBytes, refusalMessage, sizeInUnits, tooLargeMessage } from "../../policy/file-messages";

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
