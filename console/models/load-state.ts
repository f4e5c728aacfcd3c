// How a model's data arrived: loading, ready, or an error whose message the page shows instead of the data.

import { signal } from "@preact/signals";
import { messageOf } from "../api";

export type LoadState = "loading" | "ready" | "error";

/**
 * A model's load state and, once a load failed, why (`loadError`); `track` runs a load and records how it went.
 * @example const { state, loadError, track } = createLoadState(); await track(async () => void (rules.value = await api.ipRules()));
 */
export function createLoadState() {
  const state = signal<LoadState>("loading");
  const loadError = signal<string | null>(null);
  return {
    state,
    loadError,
    async track(load: () => Promise<void>): Promise<void> {
      try {
        await load();
        state.value = "ready";
      } catch (error) {
        loadError.value = messageOf(error);
        state.value = "error";
      }
    },
  };
}
