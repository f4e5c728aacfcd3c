// The audit log for owners: the newest changes first, and older pages on request.

import { signal } from "@preact/signals";
import { messageOf, type Api } from "../api";
import type { AuditEntry } from "../types";
import { createLoadState } from "./load-state";

export function createAuditModel(api: Api) {
  const entries = signal<AuditEntry[]>([]);
  /** The entry id to page on from, or null when the oldest page is shown. */
  const next = signal<number | null>(null);
  const { state, loadError, track } = createLoadState();
  const loadingOlder = signal(false);
  const olderError = signal<string | null>(null);
  return {
    entries,
    next,
    state,
    loadError,
    loadingOlder,
    olderError,
    load: () =>
      track(async () => {
        const page = await api.audit(null);
        entries.value = page.entries;
        next.value = page.next;
      }),
    /** Adds the page of entries before the last one shown. */
    async older() {
      if (next.value === null) return;
      loadingOlder.value = true;
      olderError.value = null;
      try {
        const page = await api.audit(next.value);
        entries.value = [...entries.value, ...page.entries];
        next.value = page.next;
      } catch (error) {
        olderError.value = messageOf(error);
      } finally {
        loadingOlder.value = false;
      }
    },
  };
}
