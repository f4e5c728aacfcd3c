// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { BASE_TITLE, createNotifier, type NotificationLike } from "../../console/notifier";

/** A stand-in for the browser's Notification: records what was shown, answers the prompt with `answer`. */
function fakeNotifications(initial: NotificationPermission, answer: NotificationPermission) {
  const shown: { title: string; body?: string }[] = [];
  let prompts = 0;
  const Fake = class {
    static permission = initial;
    static async requestPermission() {
      prompts++;
      Fake.permission = answer;
      return answer;
    }
    constructor(title: string, options?: NotificationOptions) {
      shown.push({ title, body: options?.body });
    }
  };
  return { Fake: Fake as unknown as NotificationLike, shown, prompts: () => prompts };
}

describe("new chat request alerts", () => {
  it("asks for permission only when asked, then shows a desktop notification", async () => {
    const { Fake, shown, prompts } = fakeNotifications("default", "granted");
    const notifier = createNotifier(document, Fake);
    expect(notifier.notify("New chat request", "192.0.2.1 on https://shop.example/")).toBeNull();
    expect(prompts()).toBe(0);
    await notifier.ask();
    expect(notifier.permission.value).toBe("granted");
    notifier.notify("New chat request", "192.0.2.1 on https://shop.example/");
    expect(shown).toEqual([{ title: "New chat request", body: "192.0.2.1 on https://shop.example/" }]);
  });

  it("shows nothing when the agent declined, or the browser has no notifications", async () => {
    const { Fake, shown } = fakeNotifications("default", "denied");
    const notifier = createNotifier(document, Fake);
    await notifier.ask();
    expect(notifier.notify("New chat request", "x")).toBeNull();
    expect(shown).toEqual([]);
    expect(createNotifier(document, undefined).permission.value).toBe("unsupported");
  });

  it("counts waiting requests in the tab title", () => {
    const notifier = createNotifier(document, undefined);
    notifier.setCount(3);
    expect(document.title).toBe(`(3) ${BASE_TITLE}`);
    notifier.setCount(0);
    expect(document.title).toBe(BASE_TITLE);
  });
});
