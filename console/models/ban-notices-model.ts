// The automatic bans this console has been told of since it opened, each shown until dismissed.

import { signal } from "@preact/signals";
import type { ConsoleEvent } from "../events";
import type { AutomaticBan } from "../types";

/** A flood from many addresses makes many bans: only the newest few stay on screen. */
const MAX_BAN_NOTICES = 5;

interface BanNotice extends AutomaticBan {
  id: number;
}

export function createBanNoticesModel() {
  const notices = signal<BanNotice[]>([]);
  let next = 0;
  return {
    notices,
    handleEvent(event: ConsoleEvent) {
      if (event.type !== "protection") return;
      const ban = { ...(event.data as AutomaticBan), id: ++next };
      notices.value = [...notices.value, ban].slice(-MAX_BAN_NOTICES);
    },
    dismiss(id: number) {
      notices.value = notices.value.filter((notice) => notice.id !== id);
    },
  };
}

export type BanNoticesModel = ReturnType<typeof createBanNoticesModel>;
