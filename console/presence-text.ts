// How a presence status reads in the console: the header's toggle and the team list.

import type { PresenceStatus } from "./types";

export const PRESENCE_TEXT: Record<PresenceStatus, string> = {
  online: "Online",
  away: "Away",
  offline: "Offline",
};
