// Placeholder entry until the server issue (#4) lands: serves a page saying Hatch is running.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 8787);
const app = new Hono();
app.get("/", (c) => c.html("<!doctype html><title>Hatch</title><h1>Hatch is running</h1>"));
serve({ fetch: app.fetch, hostname: host, port }, () => console.log(`Hatch listening on http://${host}:${port}`));
