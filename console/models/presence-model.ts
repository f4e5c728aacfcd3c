// The signed-in user's presence: what the server says they are, their choice of online or away, and
// the away that idleness sets and activity ends (kept in this browser's storage, as idleness is).

import { signal } from "@preact/signals";
import { messageOf, type Api } from "../api";
import type { Presence, PresenceStatus, TeamMember } from "../types";

/** Minutes without activity before the automatic away, until the user picks another number in Options. */
const DEFAULT_IDLE_MINUTES = 10;
/** Four hours: past that an open console is more likely forgotten than idle. */
const MAX_IDLE_MINUTES = 240;
const IDLE_MINUTES_KEY = "hatch.idleMinutes";
/** Set while the away is automatic, so activity in any console tab of this browser ends it, after a reload too. */
const AUTO_AWAY_KEY = "hatch.autoAway";

export type PresenceStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/** A whole number of minutes from 1 to MAX_IDLE_MINUTES, or null. */
function minutesOf(text: string | null): number | null {
  if (text === null || !/^\s*\d+\s*$/.test(text)) return null;
  const minutes = Number(text);
  return minutes >= 1 && minutes <= MAX_IDLE_MINUTES ? minutes : null;
}

export function createPresenceModel(api: Api, storage: PresenceStorage) {
  /** Null until the server has answered. */
  const status = signal<PresenceStatus | null>(null);
  const error = signal<string | null>(null);
  /** For owners, the account's users by id, as the last answer gave them (agents get none). */
  const team = signal<ReadonlyMap<string, TeamMember>>(new Map());
  const idleMinutes = signal(minutesOf(storage.getItem(IDLE_MINUTES_KEY)) ?? DEFAULT_IDLE_MINUTES);
  // Counts changes sent, so a read that started before one cannot undo it when it answers late.
  let changes = 0;

  const noteTeam = (answer: Presence) => {
    if (answer.team) team.value = new Map(answer.team.map((member) => [member.userId, member]));
  };

  async function put(next: "online" | "away", automatic: boolean) {
    changes++;
    if (automatic) storage.setItem(AUTO_AWAY_KEY, "1");
    else storage.removeItem(AUTO_AWAY_KEY);
    try {
      const answer = await api.setPresence(next);
      status.value = answer.status;
      noteTeam(answer);
      error.value = null;
    } catch (failure) {
      error.value = messageOf(failure);
    }
  }

  return {
    status,
    error,
    team,
    idleMinutes,
    async load() {
      const before = changes;
      try {
        const answer = await api.presence();
        if (before === changes) status.value = answer.status;
        noteTeam(answer);
        error.value = null;
      } catch (failure) {
        error.value = messageOf(failure);
      }
    },
    /** The user's own choice: it stays until they choose again, whatever their activity. */
    choose: (next: "online" | "away") => put(next, false),
    /** No activity for the idle time: away, if online. */
    async idle() {
      if (status.value === "online") await put("away", true);
    },
    /** Activity: online again, if the away was automatic. */
    async active() {
      if (storage.getItem(AUTO_AWAY_KEY) !== null) await put("online", false);
    },
    /** Stores the idle time as typed; returns the error to show beside the field, or null once stored. */
    setIdleMinutes(text: string): string | null {
      const minutes = minutesOf(text);
      if (minutes === null) return `Enter whole minutes from 1 to ${MAX_IDLE_MINUTES}.`;
      storage.setItem(IDLE_MINUTES_KEY, String(minutes));
      idleMinutes.value = minutes;
      return null;
    },
  };
}

export type PresenceModel = ReturnType<typeof createPresenceModel>;
