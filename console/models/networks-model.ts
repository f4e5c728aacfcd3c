// What the network switches can know: whether a Tor exit list is loaded, and how many hosting networks Hatch knows.

import { signal } from "@preact/signals";
import type { Api } from "../api";
import type { NetworkStatus } from "../types";
import { createLoadState } from "./load-state";

export function createNetworksModel(api: Api) {
  const status = signal<NetworkStatus | null>(null);
  const { state, loadError, track } = createLoadState();
  return {
    status,
    state,
    loadError,
    load: () =>
      track(async () => {
        status.value = await api.networks();
      }),
  };
}

export type NetworksModel = ReturnType<typeof createNetworksModel>;
