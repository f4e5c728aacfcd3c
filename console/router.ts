// The hash router: `#/chats/ID`, `#/block`, `#/window`, `#/options`, `#/audit`, `#/integrations`, `#/setup/TOKEN`,
// `#/reset/TOKEN`, `#/welcome` (the first run's next step), as a signal.

import { signal, type Signal } from "@preact/signals";

export type Route =
  | { page: "chats"; id: string | null }
  | { page: "block" }
  | { page: "window" }
  | { page: "options" }
  | { page: "audit" }
  | { page: "integrations" }
  | { page: "welcome" }
  | { page: "setup"; token: string }
  | { page: "reset"; token: string }
  | { page: "signin" };

/** Reads a hash into a route; anything unknown or malformed (`#/chats/%`) is the chats list, the agents' home. */
export function parseHash(hash: string): Route {
  let parts: string[];
  try {
    parts = hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  } catch {
    return { page: "chats", id: null };
  }
  switch (parts[0]) {
    case "chats":
      return { page: "chats", id: parts[1] || null };
    case "block":
      return { page: "block" };
    case "window":
      return { page: "window" };
    case "options":
      return { page: "options" };
    case "audit":
      return { page: "audit" };
    case "integrations":
      return { page: "integrations" };
    case "welcome":
      return { page: "welcome" };
    case "setup":
      return { page: "setup", token: parts[1] ?? "" };
    case "reset":
      return { page: "reset", token: parts[1] ?? "" };
    case "signin":
      return { page: "signin" };
    default:
      return { page: "chats", id: null };
  }
}

/** The link to a route, for hrefs. */
export function hrefOf(route: Route): string {
  switch (route.page) {
    case "chats":
      return route.id ? `#/chats/${encodeURIComponent(route.id)}` : "#/chats";
    case "setup":
    case "reset":
      return `#/${route.page}/${encodeURIComponent(route.token)}`;
    default:
      return `#/${route.page}`;
  }
}

/** The current route, following `hashchange`; `stop` removes the listener. */
export function createRouter(target: Window = window): { route: Signal<Route>; go(route: Route): void; stop(): void } {
  const route = signal(parseHash(target.location.hash));
  const onChange = () => (route.value = parseHash(target.location.hash));
  target.addEventListener("hashchange", onChange);
  return {
    route,
    go(next) {
      target.location.hash = hrefOf(next);
      route.value = next;
    },
    stop: () => target.removeEventListener("hashchange", onChange),
  };
}
