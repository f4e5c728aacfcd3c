// The console's entry: wires the API client, router, live feed and notifications, and mounts the app.

import { render } from "preact";
import { createApi } from "./api";
import { App } from "./App";
import { createNotifier } from "./notifier";
import { createRouter } from "./router";
import "./console.css";

const router = createRouter();
const notifier = createNotifier(document, typeof Notification === "undefined" ? undefined : Notification);

render(
  <App
    api={createApi()}
    route={router.route}
    go={router.go}
    notifier={notifier}
    origin={location.origin}
    openEvents={(url) => new EventSource(url, { withCredentials: true })}
    storage={localStorage}
  />,
  document.getElementById("app")!,
);
