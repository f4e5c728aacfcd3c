// The console's entry: mounts the app.
import { render } from "preact";
import { App } from "./App";

render(<App />, document.getElementById("app")!);
