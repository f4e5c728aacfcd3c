// A visitor's data, for owners answering a data-protection request: erase every chat, message and file
// of one visitor (on every instance: their chats leave every open console), or hand it over as one ZIP.

import { Readable } from "node:stream";
import { Hono } from "hono";
import yazl from "yazl";
import { VISITOR_ID } from "../../policy/rules";
import { requireUser, type ConsoleEnv } from "../auth/console-auth";
import type { Deps } from "../deps";
import { ApiError } from "../http/errors";
import { dropRemovedChats } from "../realtime/chats-removed";

/** A visitor id as the widget keeps it: anything else names no visitor, and is said so. */
function visitorIdOf(raw: string): string {
  if (!VISITOR_ID.test(raw))
    throw new ApiError(
      400,
      "invalid",
      "visitorId is the id a chat shows under “Visitor id” (v_ and 16 letters or digits).",
    );
  return raw;
}

/**
 * visitor.json, one chat at a time (a long history is never held whole): what the visitor wrote and
 * was told, as they saw it. The team's internal notes, who in the team did what, and what screening
 * found are the team's, not the visitor's, and stay out.
 */
async function* visitorJson(deps: Deps, accountId: string, visitorId: string, ids: readonly string[]) {
  yield `{"visitorId":${JSON.stringify(visitorId)},"exportedAt":${JSON.stringify(new Date(deps.now()).toISOString())},"chats":[`;
  let first = true;
  for (const id of ids) {
    const chat = await deps.conversations.get(accountId, id);
    if (!chat) continue;
    const messages = (await deps.conversations.messages(id)).filter((message) => message.author !== "note");
    const shown = {
      id: chat.id,
      page: chat.page,
      startedAt: chat.createdAt,
      closedAt: chat.closedAt,
      addresses: chat.visitorAddresses,
      name: chat.visitorName,
      email: chat.visitorEmail,
      answers: chat.answers,
      consent: chat.consent,
      messages: messages.map((message) => ({
        from: message.author === "agent" ? (message.agentName ?? "an agent") : message.author,
        text: message.text,
        file: message.file && { id: message.file.id, name: message.file.name, size: message.file.size },
        at: message.createdAt,
      })),
    };
    yield `${first ? "" : ","}${JSON.stringify(shown)}`;
    first = false;
  }
  yield "]}";
}

/** A file's name inside the export: its id first, so two files of one name stay two, and no path in it. */
const entryName = (id: string, name: string) => `files/${id}-${name.replace(/[/\\]/g, "_")}`;

/**
 * @example DELETE /api/v1/console/visitors/v_… → 200 {"chats":2,"messages":14,"files":1}
 * @example GET /api/v1/console/visitors/v_…/export → 200 application/zip (visitor.json and files/…)
 */
export function visitorRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();

  app.delete("/visitors/:visitorId", requireUser(deps, "owner"), async (c) => {
    const visitorId = visitorIdOf(c.req.param("visitorId"));
    const owner = c.get("user");
    const erased = await deps.visitorData.erase(owner.account_id, visitorId, owner.id, deps.now());
    if (erased.chats === 0) throw new ApiError(404, "not_found", "No chat of that visitor is kept: nothing to erase.");
    await dropRemovedChats(deps, owner.account_id, erased);
    return c.json({ chats: erased.chats, messages: erased.messages, files: erased.fileIds.length });
  });

  app.get("/visitors/:visitorId/export", requireUser(deps, "owner"), async (c) => {
    // A GET, so a page elsewhere could open it in the owner's browser: only the console's own page may.
    const site = c.req.header("sec-fetch-site");
    if (site === "cross-site" || site === "same-site")
      throw new ApiError(403, "cross_origin", "Export a visitor's data from the console, where their chat is.");
    const visitorId = visitorIdOf(c.req.param("visitorId"));
    const owner = c.get("user");
    const ids = await deps.visitorData.chatIds(owner.account_id, visitorId);
    if (ids.length === 0) throw new ApiError(404, "not_found", "No chat of that visitor is kept: nothing to export.");
    const files = await deps.visitorData.files(ids);
    // Recorded before the archive starts reading: a failure here answers 500 with nothing read.
    const exported = { visitorId, chats: ids.length, files: files.length };
    await deps.visitorData.recordExport(owner.account_id, owner.id, exported, deps.now());
    const zip = new yazl.ZipFile();
    // A file gone since (erased meanwhile) or a failed read ends this download, never the server.
    const cutShort = (error: Error) => {
      deps.log.warn({ visitor: visitorId, error: error.message }, "visitor export cut short");
      (zip.outputStream as Readable).destroy(error);
    };
    zip.on("error", cutShort);
    // yazl listens for no entry's errors: one unheard would end the process.
    const entry = (stream: Readable) => stream.once("error", cutShort);
    zip.addReadStream(entry(Readable.from(visitorJson(deps, owner.account_id, visitorId, ids))), "visitor.json");
    // Each file's bytes are opened only when the archive reaches it: one open file at a time, closed
    // with the download however it ends (yazl leaves an entry's stream open when its output goes).
    let reading: Readable | null = null;
    (zip.outputStream as Readable).once("close", () => reading?.destroy());
    for (const file of files)
      zip.addReadStreamLazy(entryName(file.id, file.name), (done) => {
        deps.files.read(file.id).then(
          (stored) => {
            reading = stored && entry(stored.stream);
            done(stored ? null : new Error(`file ${file.id} is gone`), stored?.stream ?? Readable.from([]));
          },
          (error: unknown) => done(error, Readable.from([])),
        );
      });
    zip.end();
    return c.body(Readable.toWeb(zip.outputStream as Readable) as ReadableStream, 200, {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="hatch-${visitorId}.zip"`,
      "cache-control": "no-store",
    });
  });

  return app;
}
