// Creates the demo account and its users on first start, and puts its starting rules back on every
// start (the host site's port may have changed). Rules go through the console API as the owner, so
// they are validated like any owner's, and the printed credentials are proven to work.

import { hashPassword } from "../server/auth/passwords";
import type { RunningServer } from "../server/server";
import { BLOCKED_COUNTRIES, BLOCKED_IP, DEMO_ACCOUNT, DEMO_NETWORKS, DEMO_USERS } from "./presets";

/**
 * Ensures account `demo` with owner@demo.test and agent@demo.test, the IP rule for BLOCKED_IP, a
 * countries rule blocking BLOCKED_COUNTRIES, a websites rule allowing only `hostPattern`, and the
 * network switches DEMO_NETWORKS. File settings and any other rule QA added are kept. Idempotent.
 */
export async function seedDemoAccount(server: RunningServer, hostPattern: string): Promise<void> {
  const { accounts, now } = server.deps;
  await accounts.createAccount(DEMO_ACCOUNT.id, DEMO_ACCOUNT.name, now());
  for (const user of DEMO_USERS) {
    if (!(await accounts.findLogin(DEMO_ACCOUNT.id, user.email))) {
      await accounts.addUser(
        DEMO_ACCOUNT.id,
        user.email,
        await hashPassword(user.password, server.deps.config.passwordCost),
        user.role,
        now(),
      );
    }
  }

  const owner = DEMO_USERS.find((user) => user.role === "owner")!;
  const api = await signIn(server, owner.email, owner.password);
  const current = await api("GET", "/api/v1/console/policy");
  const document = (await current.json()) as Record<string, unknown>;
  const wanted = {
    ...document,
    countries: { mode: "block", list: [...BLOCKED_COUNTRIES] },
    websites: { allowed: [hostPattern], blocked: [] },
    networks: { ...DEMO_NETWORKS },
  };
  if (JSON.stringify(wanted) !== JSON.stringify(document)) {
    await expectOk(
      await api("PUT", "/api/v1/console/policy", wanted, { "if-match": current.headers.get("etag") ?? "" }),
      "save the demo policy",
    );
  }
  // An existing rule for the address is merged, not stored twice.
  await expectOk(
    await api("POST", "/api/v1/console/rules", { text: BLOCKED_IP, comment: 'Demo: the "A blocked IP" preset' }),
    "add the demo IP rule",
  );
  await api("DELETE", "/api/v1/console/session");
}

type Api = (method: string, path: string, json?: unknown, headers?: Record<string, string>) => Promise<Response>;

/** Signs in straight at the chat server (not through the visitor proxy), with the console's Origin. */
async function signIn(server: RunningServer, email: string, password: string): Promise<Api> {
  const origin = new URL(server.deps.config.publicUrl).origin;
  const call =
    (cookie: string): Api =>
    (method, path, json, headers = {}) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: { origin, cookie, ...(json === undefined ? {} : { "content-type": "application/json" }), ...headers },
        body: json === undefined ? null : JSON.stringify(json),
      });
  const login = await call("")("POST", "/api/v1/console/session", { account: DEMO_ACCOUNT.id, email, password });
  if (login.status !== 200) {
    throw new Error(
      `The demo owner could not sign in (${login.status} ${await login.text()}). ` +
        "Was its password changed? Delete the demo's data directory (./data-demo) to start afresh.",
    );
  }
  return call((login.headers.get("set-cookie") ?? "").split(";")[0] ?? "");
}

async function expectOk(response: Response, what: string): Promise<void> {
  if (!response.ok) throw new Error(`The demo could not ${what}: ${response.status} ${await response.text()}`);
}
