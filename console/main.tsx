// The console's entry: wires the API client, router, live feed, notifications and chime, and mounts the app.

import { render } from "preact";
import { createApi } from "./api";
import { App } from "./App";
import { createChime } from "./chime";
import { createNotifier } from "./notifier";
import { createRouter } from "./router";
import "./console.css";

const router = createRouter();
const notifier = createNotifier(document, typeof Notification === "undefined" ? undefined : Notification);
const chime = createChime(document, typeof AudioContext === "undefined" ? undefined : () => new AudioContext());

render(
  <App
    api={createApi()}
    route={router.route}
    go={router.go}
    notifier={notifier}
    chime={chime}
    origin={location.origin}
    openEvents={(url) => new EventSource(url, { withCredentials: true })}
    storage={localStorage}
  />,
  document.getElementById("app")!,
);
