// New chat requests: a count in the tab title, and a desktop notification once the agent allowed it
// from a button (browsers ignore, and users resent, a permission prompt on load).

import { signal } from "@preact/signals";

export type NotificationLike = {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): unknown;
};

export const BASE_TITLE = "Hatch console";

export function createNotifier(doc: Document, notifications: NotificationLike | undefined) {
  const permission = signal<NotificationPermission | "unsupported">(
    notifications ? notifications.permission : "unsupported",
  );
  return {
    permission,
    async ask() {
      if (notifications) permission.value = await notifications.requestPermission();
    },
    /** Shows a desktop notification if allowed; returns it, or null. */
    notify(title: string, body: string): unknown {
      return notifications && permission.value === "granted"
        ? new notifications(title, { body, tag: "hatch-request" })
        : null;
    },
    /** `(3) Hatch console` while three requests wait. */
    setCount(count: number) {
      doc.title = count > 0 ? `(${count}) ${BASE_TITLE}` : BASE_TITLE;
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
