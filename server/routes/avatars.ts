// Avatars (issue #26): the team's, uploaded by an owner and then named in the policy's `window.avatar`,
// and each user's own, shown to visitors beside their messages. Inspected like any upload, and only
// PNG, JPEG, GIF or WebP: an SVG is a script. Served publicly under the widget API, by account,
// so a host page on any origin can show them and only that account's avatars are ever reachable.

import { Hono, type Context } from "hono";
import type { PolicyDocument } from "../../policy/schema";
import { requireUser, type ConsoleEnv } from "../auth/console-auth";
import type { Deps } from "../deps";
import { receiveUpload } from "../files/uploads";
import { ApiError, fieldError } from "../http/errors";
import { findPolicy } from "../verdict/policy-cache";
import { fileAnswer } from "./file-answer";

/** An avatar is drawn 32 px across: 1 MiB is already far more than it needs. */
export const MAX_AVATAR_BYTES = 1024 * 1024;
/** The image kinds every browser draws and none runs: not SVG (a script), not TIFF or HEIC (not drawn everywhere). */
const AVATAR_KINDS = new Set(["png", "jpg", "gif", "webp"]);
const NOT_AN_AVATAR = "An avatar is a PNG, JPEG, GIF or WebP image.";
/** Ids are never reused for other bytes, so a copy may be kept a day anywhere. */
const AVATAR_CACHE = "public, max-age=86400";

/** Receives the request's body as an avatar of the account: 413 or 415 as it is refused, with nothing kept. */
async function receiveAvatar(deps: Deps, c: Context<ConsoleEnv>): Promise<string> {
  const accountId = c.get("user").account_id;
  const rules = { categories: ["image" as const], maxBytes: MAX_AVATAR_BYTES };
  const file = await receiveUpload(c.req.raw, "avatar", rules, deps.files).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 415)
      throw new ApiError(415, "file_type", NOT_AN_AVATAR, { fields: error.fields });
    throw error;
  });
  // The category lets every image in; an avatar is narrower, and the bytes are already stored.
  if (!AVATAR_KINDS.has(file.kind)) {
    await deps.files.remove(file.id);
    throw new ApiError(415, "file_type", NOT_AN_AVATAR, { fields: { kind: file.kind, category: file.category } });
  }
  await deps.avatars.add(accountId, file.id, file.mime, deps.now());
  return file.id;
}

/** Removes an avatar no longer shown: its row and its bytes. */
async function dropAvatar(deps: Deps, fileId: string): Promise<void> {
  await deps.avatars.remove(fileId);
  await deps.files.remove(fileId);
}

/** 400 unless the document's team avatar, when it names a new one, is an avatar uploaded in this account. */
export async function checkTeamAvatar(deps: Deps, accountId: string, before: PolicyDocument, after: PolicyDocument) {
  const avatar = after.window?.avatar;
  if (!avatar || avatar === before.window?.avatar) return;
  // A user's own avatar goes when they replace it: the team's is an upload of its own.
  const uploaded = (await deps.avatars.mimeOf(accountId, avatar)) !== null;
  if (!uploaded || (await deps.avatars.isUserAvatar(accountId, avatar)))
    throw fieldError("window.avatar", "That is not an avatar uploaded to this account: upload the image again.");
}

/** Once a saved policy no longer names its former team avatar, its file goes: ids are never reused. */
export async function dropReplacedTeamAvatar(deps: Deps, before: PolicyDocument, after: PolicyDocument) {
  const old = before.window?.avatar;
  if (old && old !== after.window?.avatar) await dropAvatar(deps, old);
}

/**
 * The console's avatar uploads.
 * @example POST /api/v1/console/avatar (image/png bytes) → 201 {"fileId":"file_…"} (owners; then saved as the policy's window.avatar)
 * @example PUT /api/v1/console/me/avatar (image/png bytes) → 200 {"fileId":"file_…"}
 * @example DELETE /api/v1/console/me/avatar → 204
 */
export function avatarRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();

  app.post("/avatar", requireUser(deps, "owner"), async (c) => c.json({ fileId: await receiveAvatar(deps, c) }, 201));

  app.get("/me/avatar", requireUser(deps), async (c) =>
    c.json({ fileId: await deps.avatars.userAvatar(c.get("user").id) }),
  );

  app.put("/me/avatar", requireUser(deps), async (c) => {
    const fileId = await receiveAvatar(deps, c);
    const old = await deps.avatars.setUserAvatar(c.get("user").id, fileId);
    if (old) await dropAvatar(deps, old);
    return c.json({ fileId });
  });

  app.delete("/me/avatar", requireUser(deps), async (c) => {
    const old = await deps.avatars.setUserAvatar(c.get("user").id, null);
    if (old) await dropAvatar(deps, old);
    return c.body(null, 204);
  });

  return app;
}

/** Whether `fileId` is shown now as the account's team avatar or one of its users'. */
async function isShown(deps: Deps, account: string, fileId: string): Promise<boolean> {
  const policy = await findPolicy(deps.policyCache, account);
  if (!policy) return false;
  return policy.look.avatar === fileId || (await deps.avatars.isUserAvatar(account, fileId));
}

/**
 * The public side: an avatar shown now, as its own image type; anything else, a chat's file above
 * all, is as absent as none.
 * @example GET /api/v1/widget/acme/avatars/file_… → 200 image/png, Cache-Control: public, max-age=86400
 */
export function publicAvatarRoutes(deps: Deps) {
  const app = new Hono();

  app.get("/:account/avatars/:fileId", async (c) => {
    const { account, fileId } = c.req.param();
    const mime = (await isShown(deps, account, fileId)) ? await deps.avatars.mimeOf(account, fileId) : null;
    const file = mime && { id: fileId, name: "avatar", size: 0, kind: "image", mime, category: "image" as const };
    const answer = file && (await fileAnswer(c, deps, file, { inline: true, cacheControl: AVATAR_CACHE }));
    if (!answer) throw new ApiError(404, "not_found", "There is no such avatar.");
    answer.headers.set("Access-Control-Allow-Origin", "*");
    return answer;
  });

  return app;
}
