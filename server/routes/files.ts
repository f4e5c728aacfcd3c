// The files of the account's chats, for the console: only safe raster images are served inline as themselves;
// everything else is an opaque download, so no file a visitor made can run in Hatch's origin.

import { Hono } from "hono";
import { isInlineImage } from "../../policy/file-category";
import { requireUser, type ConsoleEnv } from "../auth/console-auth";
import type { Deps } from "../deps";
import { ApiError } from "../http/errors";
import { fileAnswer } from "./file-answer";

const notFound = () => new ApiError(404, "not_found", "There is no such file in this account.");

/**
 * The bytes of a file of the signed-in user's account, streamed from the file store.
 * @example GET /api/v1/console/files/file_… → 200 image/png inline, or application/octet-stream attachment
 */
export function fileRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();
  app.use("/files/*", requireUser(deps));

  app.get("/files/:id", async (c) => {
    const file = await deps.conversations.file(c.get("user").account_id, c.req.param("id"));
    if (!file) throw notFound();
    const answer = await fileAnswer(c, deps, file, {
      inline: isInlineImage(file),
      cacheControl: "private, max-age=3600",
    });
    // The row outlived its bytes: the same answer as no file at all.
    if (!answer) throw notFound();
    return answer;
  });

  return app;
}
