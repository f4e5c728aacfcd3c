// The top navigation: what the signed-in user's role may open, the request count, their status, and sign out.

import type { PresenceModel } from "./models/presence-model";
import { PresenceToggle } from "./PresenceToggle";
import type { Route } from "./router";
import type { Me } from "./types";

interface Props {
  me: Me;
  route: Route;
  pending: number;
  presence: PresenceModel;
  onSignOut(): void;
}

export function Nav({ me, route, pending, presence, onSignOut }: Props) {
  const owner = me.user.role === "owner";
  const link = (page: Route["page"], href: string, label: string) => (
    <li>
      <a href={href} aria-current={route.page === page ? "page" : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <header class="topbar">
      <span class="brand">Hatch</span>
      <nav aria-label="Console">
        <ul>
          <li>
            <a href="#/chats" aria-current={route.page === "chats" ? "page" : undefined}>
              Chats
              {pending > 0 && (
                <span class="badge" aria-label={`${pending} waiting`}>
                  {pending}
                </span>
              )}
            </a>
          </li>
          {link("block", "#/block", "Block Visitors")}
          {owner && link("window", "#/window", "Live Chat Window")}
          {owner && link("audit", "#/audit", "Audit")}
          {owner && link("integrations", "#/integrations", "Integrations")}
          {link("options", "#/options", "Options")}
        </ul>
      </nav>
      <span class="who">
        {me.user.email} · {me.account} · {me.user.role}
      </span>
      <PresenceToggle presence={presence} />
      <button type="button" class="secondary" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}
