// The translator: plural forms chosen by Intl.PluralRules, numbers, sizes, lists and times the language's
// way; and the English refusals, word for word the server's (policy/file-messages.ts).

import { afterEach, describe, expect, it, test, vi } from "vitest";
import type { Category } from "../../policy/file-category";
import {
  disguiseMessage,
  EMPTY_FILE_MESSAGE,
  formatBytes,
  refusalMessage,
  tooLargeMessage,
  type Disguise,
} from "../../policy/file-messages";
import type { WidgetLanguage } from "../../policy/languages";
import { loadLocale } from "../../widget/i18n/languages";
import { createTranslator, type Translator } from "../../widget/i18n/translator";
import { fileRefusalText } from "../../widget/refusal-text";
import { englishT, MB } from "./fakes";

const translator = async (language: WidgetLanguage): Promise<Translator> =>
  createTranslator(await loadLocale(language));

describe("plurals", () => {
  test.each<[WidgetLanguage, number, string]>([
    ["en", 1, "1 byte"],
    ["en", 900, "900 bytes"],
    ["pl", 1, "1 bajt"],
    ["pl", 3, "3 bajty"],
    ["pl", 5, "5 bajtów"],
    ["pl", 22, "22 bajty"],
    ["pl", 25, "25 bajtów"],
    ["ru", 21, "21 байт"],
    ["ru", 23, "23 байта"],
    ["ru", 11, "11 байт"],
    ["uk", 4, "4 байти"],
    ["uk", 12, "12 байтів"],
    ["ar", 1, "بايت واحد"],
    ["ar", 2, "بايتان"],
    ["ar", 3, "3 بايتات"],
    ["ar", 11, "11 بايت"],
    ["he", 1, "בייט אחד"],
    ["he", 5, "5 בייטים"],
    ["ja", 1, "1 バイト"],
  ])("%s writes %d bytes as %s", async (language, count, text) => {
    expect((await translator(language)).size(count)).toBe(text);
  });

  test.each<[WidgetLanguage, number, string]>([
    ["en", 1, "You are sending too fast: try again in 1 second."],
    ["de", 30, "Sie senden zu schnell: Versuchen Sie es in 30 Sekunden erneut."],
    ["fr", 1, "Vous envoyez trop vite. Réessayez dans 1 seconde."],
    ["ru", 2, "Вы отправляете слишком часто: попробуйте снова через 2 секунды."],
    ["ru", 5, "Вы отправляете слишком часто: попробуйте снова через 5 секунд."],
    ["ar", 2, "أنت ترسل بسرعة كبيرة. يُرجى المحاولة مرة أخرى بعد ثانيتين."],
    ["ar", 7, "أنت ترسل بسرعة كبيرة. يُرجى المحاولة مرة أخرى بعد 7 ثوانٍ."],
  ])("%s asks to wait %d seconds in the right form", async (language, count, text) => {
    expect((await translator(language)).plural("error.waitSeconds", count)).toBe(text);
  });

  test.each<[WidgetLanguage, number, string]>([
    ["en", 1, "Open chat: 1 new message"],
    ["en", 3, "Open chat: 3 new messages"],
    ["pl", 2, "Otwórz czat: 2 nowe wiadomości"],
    ["pl", 5, "Otwórz czat: 5 nowych wiadomości"],
    ["ru", 21, "Открыть чат: 21 новое сообщение"],
    ["ar", 2, "فتح الدردشة: رسالتان جديدتان"],
    ["ja", 4, "チャットを開く：新着メッセージ4件"],
  ])("%s names the button for %d unread messages in the right form", async (language, count, text) => {
    expect((await translator(language)).plural("button.unread", count)).toBe(text);
  });
});

describe("times", () => {
  // Local times, so that the test reads the same in any time zone; "today" is 1 January 2026.
  const TODAY_AT_1405 = new Date(2026, 0, 1, 14, 5).toISOString();
  const NEW_YEARS_EVE_AT_2350 = new Date(2025, 11, 31, 23, 50).toISOString();
  afterEach(() => vi.useRealTimers());

  test.each<[WidgetLanguage, string, string]>([
    ["en", "14:05", "31 Dec 2025, 23:50"],
    ["de", "14:05", "31.12.2025, 23:50"],
    ["fr", "14:05", "31 déc. 2025, 23:50"],
    ["ru", "14:05", "31 дек. 2025 г., 23:50"],
    ["ja", "14:05", "2025/12/31 23:50"],
    ["zh", "14:05", "2025年12月31日 23:50"],
  ])(
    "%s writes a message of today as %s, and one of the day before with its date: %s",
    async (language, today, before) => {
      vi.useFakeTimers({ toFake: ["Date"], now: new Date(2026, 0, 1, 18, 0) });
      const t = await translator(language);
      expect(t.time(TODAY_AT_1405)).toBe(today);
      expect(t.time(NEW_YEARS_EVE_AT_2350)).toBe(before);
    },
  );
  // ICU writes the space before PM as U+202F or U+0020 depending on its version.
  test.each<[WidgetLanguage, string[], RegExp]>([
    ["en", ["en-US", "en-GB"], /^2:05\sPM$/],
    ["en", ["en-GB"], /^14:05$/],
    ["en", ["fr-FR", "en-US"], /^2:05\sPM$/],
    ["en", ["de-DE"], /^14:05$/],
    ["de", ["en-US", "de-AT"], /^14:05$/],
    ["en", ["en-US-x-!!"], /^14:05$/],
  ])("%s in a browser preferring %j writes 14:05 as %s", async (language, preferred, today) => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date(2026, 0, 1, 18, 0) });
    expect(createTranslator(await loadLocale(language), preferred).time(TODAY_AT_1405)).toMatch(today);
  });
});

describe("numbers, sizes and lists", () => {
  it("writes a size's decimals the language's way", async () => {
    expect(englishT.size(1536)).toBe("1.5 KB");
    expect((await translator("de")).size(1536)).toBe("1,5 KB");
    expect((await translator("fr")).size(2.5 * MB)).toBe("2,5 Mo");
    expect((await translator("ru")).size(10 * MB)).toBe("10 МБ");
  });

  it("joins a list as the language does", async () => {
    const words = ["a", "b", "c"];
    expect(englishT.list(words)).toBe("a, b and c");
    expect((await translator("de")).list(words)).toBe("a, b und c");
    expect((await translator("ja")).list(words)).toBe("a、b、c");
  });

  it("leaves a placeholder it is given no value for", () => {
    expect(englishT.text("file.named", { reason: "No." })).toBe("{file}: No.");
  });
});

describe("file refusals", () => {
  test.each<Category[]>([
    [],
    ["image"],
    ["image", "text"],
    ["image", "audio", "video", "text"],
    ["image", "document", "archive", "audio", "video", "text", "executable", "script"],
  ])("in English are the server's words for the categories %j", (...allowed) => {
    expect(fileRefusalText(englishT, { code: "file_type", allowed })).toBe(refusalMessage(allowed));
  });

  test.each<Disguise>([
    { name: "photo.png", claimed: "image", found: "webpage" },
    { name: "cv.pdf", claimed: "document", found: "executable" },
    { name: "a.zip", claimed: "archive", found: "other" },
    { name: "t.mp4", claimed: "video", found: "script" },
    { name: "x.wav", claimed: "audio", found: "text" },
    { name: "notes.txt", claimed: "text", found: "image" },
  ])("in English say a disguise as the server does: %j", (disguise) => {
    const said = fileRefusalText(englishT, { code: "file_type", allowed: ["image"], disguise });
    // The widget sets the name apart (FSI … PDI) for right-to-left languages; the words are the server's.
    expect(said.replace(/[\u2068\u2069]/g, "")).toBe(`${disguiseMessage(disguise)} ${refusalMessage(["image"])}`);
  });

  test.each([1536, 900, 10 * MB, 2.5 * MB, 1023])(
    "in English are the server's words for a limit of %d bytes",
    (maxBytes) => {
      expect(fileRefusalText(englishT, { code: "too_large", maxBytes })).toBe(tooLargeMessage(maxBytes));
      expect(englishT.size(maxBytes)).toBe(formatBytes(maxBytes));
    },
  );

  it("in English are the server's words for an empty file", () => {
    expect(fileRefusalText(englishT, { code: "empty_file" })).toBe(EMPTY_FILE_MESSAGE);
  });

  it("say why an archive listing a program cannot be sent, in the words of the server's refusal code", async () => {
    const refusal = { code: "archive_content", entry: "setup.exe" } as const;
    expect(fileRefusalText(englishT, refusal)).toMatch(/^Something in this archive cannot be sent in this chat/);
    expect(fileRefusalText(await translator("de"), refusal)).not.toBe(fileRefusalText(englishT, refusal));
  });

  test.each<[WidgetLanguage, Category[], string]>([
    ["de", ["image", "text"], "In diesem Chat können nur Bilder und Textdateien gesendet werden."],
    ["fr", ["image", "video"], "Ce chat n’accepte que les images et les vidéos."],
    ["es", ["image", "video", "text"], "En este chat solo se pueden enviar imágenes, videos y archivos de texto."],
    ["ru", ["image"], "В этот чат можно отправлять только изображения."],
    ["zh", ["image", "audio", "text"], "此聊天只能发送图片、音频文件和文本文件。"],
    ["ar", ["image", "text"], "لا يمكن إرسال سوى الصور والملفات النصية في هذه الدردشة."],
    ["he", ["image", "text"], "בצ׳אט הזה אפשר לשלוח רק תמונות וקובצי טקסט."],
    ["pl", [], "W tym czacie nie można wysyłać plików."],
  ])("in %s name the categories %j", async (language, allowed, text) => {
    expect(fileRefusalText(await translator(language), { code: "file_type", allowed })).toBe(text);
  });

  it("say the limit in the language's units", async () => {
    expect(fileRefusalText(await translator("fr"), { code: "too_large", maxBytes: 10 * MB })).toBe(
      "Ce fichier dépasse la taille maximale acceptée par ce chat (10 Mo).",
    );
  });
});
