// The whole console app as main.tsx mounts it, at a route, over the msw server of setup.ts: no sound,
// no desktop notification, and the event feed the test gives (none by default).
import { signal } from "@preact/signals";
import { render } from "@testing-library/preact";
import { App } from "../../console/App";
import { createChime } from "../../console/chime";
import type { EventSourceFactory } from "../../console/events";
import { createNotifier } from "../../console/notifier";
import type { Route } from "../../console/router";
import { api } from "./setup";

export function drawApp(start: Route, openEvents: EventSourceFactory | null = null) {
  const route = signal(start);
  return render(
    <App
      api={api}
      route={route}
      go={(next) => (route.value = next)}
      openEvents={openEvents}
      notifier={createNotifier(document, undefined)}
      chime={createChime(document, undefined)}
      origin="https://chat.example"
      storage={localStorage}
    />,
  );
}
