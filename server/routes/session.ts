// Console sign-in and out, the signed-in user, their options, and the first-run setup.

import { scheduleDigest } from "../mail/notify";
import { Hono } from "hono";
import * as z from "zod/mini";
import { parseDisplayName } from "../../policy/chat";
import type { Theme, UserOptions } from "../../policy/wire";
import { clearSessionCookie, requireUser, sessionToken, setSessionCookie, type ConsoleEnv } from "../auth/console-auth";
import type { Deps } from "../deps";
import { addressOf } from "../http/client-ip";
import { ApiError, fieldError } from "../http/errors";
import { readJson } from "../http/request-body";
import { newToken } from "../ids";
import {
  hashPassword,
  isOutdatedHash,
  passwordFieldSchema,
  passwordProblem,
  verifyPassword,
  type ScryptParams,
} from "../auth/passwords";
import { admitSignIn } from "../auth/sign-in-limits";
import { addressKey } from "../protection/rate-limit";
import type { User } from "../store/accounts";
import { accountIdSchema, emailSchema } from "../auth/user-fields";
import { codeSchema, secondFactorAccepted } from "./two-factor";

/** A display name, kept trimmed and NFC-normalized; policy/chat.ts's parseDisplayName says what it may hold. */
const displayNameSchema = z.string().check(
  z.trim(),
  z.normalize("NFC"),
  z.superRefine((name: string, ctx) => {
    const parsed = parseDisplayName(name);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message, input: name });
  }),
);

const loginSchema = z.strictObject({
  account: z.string().check(z.maxLength(40)),
  email: emailSchema,
  password: passwordFieldSchema,
  /** The second factor, for a user who has turned it on: asked for once the password is right. */
  code: z.optional(codeSchema),
});
const THEMES = ["auto", "light", "dark"] as const satisfies readonly Theme[];

/** A user's own options; each may be sent alone. A display name of "" (or null) clears it. */
const optionsSchema = z.strictObject({
  imagePreviews: z.optional(z.boolean({ error: "imagePreviews is true or false." })),
  displayName: z.optional(z.nullable(displayNameSchema)),
  sound: z.optional(z.boolean({ error: "sound is true or false." })),
  theme: z.optional(z.enum(THEMES, { error: 'theme is "auto", "light" or "dark".' })),
  mail: z.optional(
    z.strictObject({
      offlineMessages: z.optional(z.boolean({ error: "mail.offlineMessages is true or false." })),
      unansweredMinutes: z.optional(
        z.nullable(
          z
            .number({ error: "mail.unansweredMinutes is a number of minutes from 1 to 1440, or null for none." })
            .check(
              z.int("mail.unansweredMinutes is a whole number of minutes."),
              z.minimum(1, "mail.unansweredMinutes is at least 1 minute."),
              z.maximum(1440, "mail.unansweredMinutes is at most 1440 minutes (a day)."),
            ),
        ),
      ),
      digest: z.optional(z.boolean({ error: "mail.digest is true or false." })),
    }),
  ),
});
const setupSchema = z.strictObject({
  token: z.string().check(z.maxLength(100)),
  account: accountIdSchema,
  name: z.string().check(z.trim(), z.minLength(1, "Enter the account's name."), z.maxLength(100)),
  email: emailSchema,
  password: passwordFieldSchema,
});

/** A real hash of a random password, verified against when the user is unknown; one for each cost. */
const dummyHashes = new WeakMap<ScryptParams, Promise<string>>();
function unknownUserHash(cost: ScryptParams): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (hash === undefined) dummyHashes.set(cost, (hash = hashPassword(newToken(), cost)));
  return hash;
}

function optionsOf(user: User): UserOptions {
  const { imagePreviews, displayName, sound, theme, mail } = user;
  return { imagePreviews, displayName, sound, theme, mail };
}

/** Who is signed in, their options, their two-factor sign-in, and whether this server sends mail (else Options says so). */
async function meBody(user: User, deps: Deps) {
  return {
    user: { id: user.id, email: user.email, role: user.role },
    account: user.account_id,
    options: optionsOf(user),
    twoFactor: await deps.twoFactor.status(user),
    mailConfigured: deps.config.smtpUrl !== null,
  };
}

const accountTaken = () => fieldError("account", "That account id is taken.");
const setupDone = () =>
  new ApiError(
    403,
    "setup_link_used",
    "This setup link no longer works: Hatch has an account already. Sign in, or create another account with `npx hatch account create`.",
  );

/**
 * Sign-in and out, the signed-in user and their options, and the first-run setup.
 * @example POST /api/v1/console/session {"account":"acme","email":"ann@acme.test","password":"…"}
 *   → 200 {"user":{…,"role":"owner"},"account":"acme","options":{"imagePreviews":true,…}} + Set-Cookie
 */
export function sessionRoutes(deps: Deps) {
  const app = new Hono<ConsoleEnv>();

  app.post("/session", async (c) => {
    const body = await readJson(c, loginSchema);
    const address = addressKey(addressOf(c.env.incoming, deps.clientAddress).parsed);
    const login = await deps.accounts.findLogin(body.account, body.email);
    const succeeded = await admitSignIn(deps.limits, {
      user: `${body.account}/${body.email}`,
      address,
      // One query for an unknown user too, so a refusal takes the same time whether the user exists.
      knownAddress: () => deps.accounts.signedInFrom(login?.id ?? "", address, deps.now()),
    });
    // Same answer, and the same scrypt work, for a wrong account, email or password: neither the
    // words nor the time taken tell which accounts and emails exist. A hash of older, cheaper
    // parameters is checked alongside one of today's, so its user's quicker answer tells nothing either.
    const cost = deps.config.passwordCost;
    const stored = login?.passwordHash ?? (await unknownUserHash(cost));
    const [matches] = await Promise.all([
      verifyPassword(body.password, stored),
      isOutdatedHash(stored, cost) ? verifyPassword(body.password, await unknownUserHash(cost)) : null,
    ]);
    if (!login || !matches) {
      throw new ApiError(401, "bad_credentials", "That account, email and password do not match.");
    }
    const factor = await deps.twoFactor.secondFactor(login.id);
    if (factor && body.code === undefined) {
      // The password was right: it costs no attempt. The answer says a code is wanted, nothing more.
      await succeeded();
      throw new ApiError(
        401,
        "two_factor_required",
        "Enter the six-digit code your authenticator app shows, or one of your backup codes.",
      );
    }
    // A wrong code counts as a failed sign-in, as a wrong password does.
    if (factor && !(await secondFactorAccepted(deps, login.id, factor.secret, body.code!)))
      throw new ApiError(
        401,
        "bad_code",
        "That code is wrong or was used already: wait for the next one your app shows, or use a backup code.",
      );
    await succeeded();
    if (isOutdatedHash(login.passwordHash, cost))
      await deps.accounts.setPasswordHash(login.id, await hashPassword(body.password, cost));
    await deps.accounts.rememberSignInAddress(login.id, address, deps.now());
    const where = { userAgent: c.req.header("user-agent") ?? null, address };
    setSessionCookie(c, deps, await deps.accounts.createSession(login, deps.now(), where));
    return c.json(await meBody(login, deps));
  });

  app.delete("/session", async (c) => {
    const token = sessionToken(c);
    if (token) await deps.accounts.deleteSession(token);
    clearSessionCookie(c);
    return c.body(null, 204);
  });

  app.get("/me", requireUser(deps, "enrolling"), async (c) => c.json(await meBody(c.get("user"), deps)));

  // PATCH /api/v1/console/me/options {"sound":false,"theme":"dark"} → 200 {"imagePreviews":true,…,"sound":false,"theme":"dark"}
  app.patch("/me/options", requireUser(deps), async (c) => {
    const body = await readJson(c, optionsSchema);
    const user = c.get("user");
    // "" clears the name as null does.
    const changes = body.displayName === undefined ? body : { ...body, displayName: body.displayName || null };
    if (changes.mail?.digest === true && user.role !== "owner")
      throw fieldError("mail.digest", "The daily digest of automatic bans is for owners.");
    await deps.accounts.setOptions(user, changes, deps.now());
    if (changes.mail?.digest === true) await scheduleDigest(deps, user, deps.now());
    const before = optionsOf(user);
    return c.json({ ...before, ...changes, mail: { ...before.mail, ...changes.mail } });
  });

  // First run: the one-time link `npm start` prints creates the first account and its owner, and
  // nothing once any account exists (the link stays in logs; more accounts come from the CLI).
  app.post("/setup", async (c) => {
    const body = await readJson(c, setupSchema);
    // Before anything else, so a used link answers the same whatever was typed, and tells no account ids.
    if ((await deps.accounts.countAccounts()) > 0) throw setupDone();
    const problem = passwordProblem(body.password);
    if (problem) throw fieldError("password", problem);
    if (!(await deps.accounts.useSetupToken(body.token, deps.now()))) {
      // An account made since the count (by the CLI) voids the link as well.
      if ((await deps.accounts.countAccounts()) > 0) throw setupDone();
      throw new ApiError(
        403,
        "setup_link_used",
        "This setup link is used or expired: restart Hatch to print a new one, or create the account with `npx hatch account create`.",
      );
    }
    if (!(await deps.accounts.createAccount(body.account, body.name, deps.now()))) throw accountTaken();
    const user = await deps.accounts.addUser(
      body.account,
      body.email,
      await hashPassword(body.password, deps.config.passwordCost),
      "owner",
      deps.now(),
      { via: "first-run link" },
    );
    if (!user) throw new ApiError(500, "internal", "The owner could not be created.");
    const address = addressKey(addressOf(c.env.incoming, deps.clientAddress).parsed);
    await deps.accounts.rememberSignInAddress(user.id, address, deps.now());
    const where = { userAgent: c.req.header("user-agent") ?? null, address };
    setSessionCookie(c, deps, await deps.accounts.createSession(user, deps.now(), where));
    return c.json(await meBody(user, deps), 201);
  });

  return app;
}
