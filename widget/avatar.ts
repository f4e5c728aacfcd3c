// Where the widget reads an avatar, the team's or an agent's: Hatch serves them publicly under the
// account's widget API (server/routes/avatars.ts), by file id.

import type { Boot } from "./boot";

/** The image's URL for an avatar's file id. */
export function avatarSource(boot: Pick<Boot, "base" | "account">, fileId: string): string {
  return `${boot.base}/api/v1/widget/${encodeURIComponent(boot.account)}/avatars/${encodeURIComponent(fileId)}`;
}
