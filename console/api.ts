// The console's HTTP client: same-origin JSON with the session cookie, and the contract's errors
// turned into RequestFailure (code, message, fields) that forms show next to their fields.

import type {
  AuditEntry,
  BlockedRule,
  CannedReply,
  ChatStatus,
  Conversation,
  ConversationDetail,
  ConversationSummary,
  CsvImport,
  ListedRule,
  Me,
  Message,
  NetworkStatus,
  PolicyDocument,
  Presence,
  Previews,
  ResetLink,
  Rule,
  RuleKind,
  RuleLine,
  RuleQuery,
  SignedInSession,
  SignInForm,
  TeamUser,
  TransferCandidate,
  TwoFactorEnrolment,
  Verdict,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEvent,
} from "./types";

/** A refusal from the server, or a network failure (`status` 0, code `network`). */
export class RequestFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The policy document with the ETag to send back as If-Match. */
export interface Versioned<T> {
  body: T;
  etag: string;
}

interface Call {
  method?: string;
  json?: unknown;
  /** A raw body (a file), sent as it is. */
  body?: Blob;
  headers?: Record<string, string>;
  /** Sent even as the page closes (fetch's keepalive): a removal whose undo window the close cut short. */
  keepalive?: boolean;
}

/** An avatar goes as the raw bytes, as a chat's file does; the server tells its kind from them. */
const AVATAR_UPLOAD = { "content-type": "application/octet-stream" };

/** Every console endpoint the app uses, typed. Built over a base URL so tests can point it anywhere. */
export function createApi(base = "/api/v1/console") {
  // Told when any call finds the session gone (expired, or signed out in another tab).
  const signedOutListeners = new Set<() => void>();
  // Told when a request finds the account now requires two-factor sign-in this user has not set up.
  const enrolmentListeners = new Set<() => void>();
  async function send(path: string, call: Call = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json", ...call.headers };
    if (call.json !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method: call.method ?? "GET",
        credentials: "same-origin",
        headers,
        body: call.json === undefined ? (call.body ?? null) : JSON.stringify(call.json),
        keepalive: call.keepalive ?? false,
      });
    } catch {
      throw new RequestFailure(0, "network", "Hatch cannot be reached: check your connection and try again.");
    }
    if (!response.ok) {
      const error = await errorOf(response);
      if (error.code === "signed_out") signedOutListeners.forEach((listener) => listener());
      if (error.code === "two_factor_enrolment_required") enrolmentListeners.forEach((listener) => listener());
      throw error;
    }
    return response;
  }
  const json = async <T>(path: string, call?: Call): Promise<T> => (await send(path, call)).json() as Promise<T>;

  return {
    me: () => json<Me>("/me"),
    signIn: (body: SignInForm) => json<Me>("/session", { method: "POST", json: body }),
    signOut: async () => void (await send("/session", { method: "DELETE" })),
    setup: (body: { token: string; account: string; name: string; email: string; password: string }) =>
      json<Me>("/setup", { method: "POST", json: body }),
    /** Changes the options sent; answers all of them. A display name of "" clears it. */
    setOptions: (body: Partial<Me["options"]>) => json<Me["options"]>("/me/options", { method: "PATCH", json: body }),
    presence: () => json<Presence>("/presence"),
    setPresence: (status: "online" | "away") => json<Presence>("/presence", { method: "PUT", json: { status } }),

    users: async () => (await json<{ users: TeamUser[] }>("/users")).users,
    addUser: (body: { email: string; password: string; role: TeamUser["role"] }) =>
      json<TeamUser>("/users", { method: "POST", json: body }),
    setRole: (id: string, role: TeamUser["role"]) =>
      json<TeamUser>(`/users/${encodeURIComponent(id)}`, { method: "PATCH", json: { role } }),
    /** Takes someone off the team: their sessions end at once; their chats keep their name. */
    removeUser: async (id: string) => void (await send(`/users/${encodeURIComponent(id)}`, { method: "DELETE" })),
    /** A one-time link (24 h) for the user to set a new password: to hand over, or mailed to them by the server. */
    resetLink: (id: string) => json<ResetLink>(`/users/${encodeURIComponent(id)}/reset`, { method: "POST" }),
    /** Changes the signed-in user's password; their other sessions end. */
    changePassword: async (body: { current: string; password: string }) =>
      void (await send("/me/password", { method: "POST", json: body })),
    replies: async () => (await json<{ replies: CannedReply[] }>("/replies")).replies,
    addReply: (body: { shortcut: string; text: string }) =>
      json<CannedReply>("/replies", { method: "POST", json: body }),
    removeReply: async (id: string) => void (await send(`/replies/${encodeURIComponent(id)}`, { method: "DELETE" })),
    /** Owners: erases every chat, message and file of a visitor; answers how much went. */
    eraseVisitor: (visitorId: string) =>
      json<{ chats: number; messages: number; files: number }>(`/visitors/${encodeURIComponent(visitorId)}`, {
        method: "DELETE",
      }),
    /** Owners: a visitor's chats and files as one ZIP, downloaded by a link. */
    visitorExportUrl: (visitorId: string) => `${base}/visitors/${encodeURIComponent(visitorId)}/export`,
    /** Where the signed-in user is signed in, the most recently used first. */
    sessions: () => json<SignedInSession[]>("/me/sessions"),
    endSession: async (id: string) => void (await send(`/me/sessions/${encodeURIComponent(id)}`, { method: "DELETE" })),
    /** Ends every session of the user but this one; answers how many ended. */
    endOtherSessions: async () => (await json<{ ended: number }>("/me/sessions", { method: "DELETE" })).ended,
    /** Owners: ends every session of a member (their own but this one); answers how many ended. */
    endMemberSessions: async (userId: string) =>
      (await json<{ ended: number }>(`/users/${encodeURIComponent(userId)}/sessions`, { method: "DELETE" })).ended,
    /** Starts enrolling a phone for two-factor sign-in: its secret, and the QR code at twoFactorQrUrl. */
    startTwoFactor: (password: string) =>
      json<TwoFactorEnrolment>("/me/two-factor", { method: "POST", json: { password } }),
    /** Turns two-factor on with the app's first code; answers the ten backup codes, shown this once. */
    confirmTwoFactor: async (code: string) =>
      (await json<{ backupCodes: string[] }>("/me/two-factor/confirm", { method: "POST", json: { code } })).backupCodes,
    /** Owners: requires two-factor sign-in of the whole team (they must have it on), or stops requiring it. */
    requireTwoFactor: async (required: boolean) =>
      void (await send("/account", { method: "PATCH", json: { requireTwoFactor: required } })),
    /** Turns two-factor off with a code and the password. */
    disableTwoFactor: async (body: { code: string; password: string }) =>
      void (await send("/me/two-factor", { method: "DELETE", json: body })),
    /** The enrolment's QR code as an image of the console's own origin (its page allows no other). */
    twoFactorQrUrl: `${base}/me/two-factor/qr.svg`,
    /** Sets a password with the token of an owner's one-time link, without a session. */
    resetPassword: async (body: { token: string; password: string }) =>
      void (await send("/password-reset", { method: "POST", json: body })),

    policy: async (): Promise<Versioned<PolicyDocument>> => {
      const response = await send("/policy");
      return { body: (await response.json()) as PolicyDocument, etag: response.headers.get("etag") ?? "" };
    },
    savePolicy: async (body: PolicyDocument, etag: string): Promise<Versioned<PolicyDocument>> => {
      const response = await send("/policy", { method: "PUT", json: body, headers: { "if-match": etag } });
      return { body: (await response.json()) as PolicyDocument, etag: response.headers.get("etag") ?? "" };
    },
    preview: (body: { ip: string; country: string | null; page: string; visitor: string | null }) =>
      json<Verdict>("/preview", { method: "POST", json: body }),
    networks: () => json<NetworkStatus>("/networks"),
    audit: (before: number | null) =>
      json<{ entries: AuditEntry[]; next: number | null }>(before === null ? "/audit" : `/audit?before=${before}`),

    /** The account's webhook endpoints (owners). */
    webhooks: async () => (await json<{ endpoints: WebhookEndpoint[] }>("/webhooks")).endpoints,
    /** Adds an endpoint; its signing secret (`whsec_…`) comes in this answer only. */
    addWebhook: (body: { url: string; events: WebhookEvent[] }) =>
      json<{ endpoint: WebhookEndpoint; secret: string }>("/webhooks", { method: "POST", json: body }),
    removeWebhook: async (id: string) => void (await send(`/webhooks/${encodeURIComponent(id)}`, { method: "DELETE" })),
    /** Switches on again an endpoint switched off after failing for a day. */
    enableWebhook: async (id: string) =>
      (
        await json<{ endpoint: WebhookEndpoint }>(`/webhooks/${encodeURIComponent(id)}`, {
          method: "PATCH",
          json: { enabled: true },
        })
      ).endpoint,
    /** An endpoint's last deliveries (at most 50), newest first. */
    deliveries: async (id: string) =>
      (await json<{ deliveries: WebhookDelivery[] }>(`/webhooks/${encodeURIComponent(id)}/deliveries`)).deliveries,
    /** Queues a `test` event to the endpoint. */
    testWebhook: async (id: string) =>
      (await json<{ delivery: WebhookDelivery }>(`/webhooks/${encodeURIComponent(id)}/test`, { method: "POST" }))
        .delivery,
    /** Sends a delivery again, with the same event id. */
    redeliver: async (id: string, deliveryId: number) =>
      (
        await json<{ delivery: WebhookDelivery }>(
          `/webhooks/${encodeURIComponent(id)}/deliveries/${deliveryId}/redeliver`,
          { method: "POST" },
        )
      ).delivery,

    rules: async (query: RuleQuery = {}) => {
      const search = new URLSearchParams(Object.entries(query).filter(([, value]) => value)).toString();
      return json<{ rules: ListedRule[]; total: number }>(search ? `/rules?${search}` : "/rules");
    },
    addRules: (body: { text: string; comment: string; expiresAt: string | null }) =>
      json<{ rules: Rule[]; lines: RuleLine[] }>("/rules", { method: "POST", json: body }),
    importRules: (csv: string) => json<CsvImport>("/rules", { method: "POST", json: { csv } }),
    /** Removes a rule; `keepalive` lets the request outlive the page (a removal sent as the page closes). */
    removeRule: async (id: string, keepalive = false) =>
      void (await send(`/rules/${encodeURIComponent(id)}`, { method: "DELETE", keepalive })),
    /** The rules as a CSV download; a plain link, as the browser sends the cookie with it. */
    rulesCsvUrl: () => `${base}/rules.csv`,

    /** One list of chats; closed ones narrowed to those closed as spam (`spam` true) or the others (false). */
    conversations: async (status: ChatStatus, spam?: boolean) =>
      (
        await json<{ conversations: ConversationSummary[] }>(
          spam === undefined ? `/conversations?status=${status}` : `/conversations?status=${status}&spam=${spam}`,
        )
      ).conversations,
    conversation: (id: string) => json<ConversationDetail>(`/conversations/${encodeURIComponent(id)}`),
    accept: (id: string) => json<Conversation>(`/conversations/${encodeURIComponent(id)}/accept`, { method: "POST" }),
    send: (id: string, text: string) =>
      json<Message>(`/conversations/${encodeURIComponent(id)}/messages`, { method: "POST", json: { text } }),
    /** The co-workers online an active chat may be passed to. */
    transferCandidates: async (id: string) =>
      (await json<{ candidates: TransferCandidate[] }>(`/conversations/${encodeURIComponent(id)}/transfer`)).candidates,
    transfer: (id: string, userId: string) =>
      json<Conversation>(`/conversations/${encodeURIComponent(id)}/transfer`, { method: "POST", json: { userId } }),
    /**
     * Sends a file to the visitor as the raw body, named by X-File-Name; the server judges its bytes
     * by the account's file rules, as a visitor's, and refuses with 413 or 415.
     */
    attach: (id: string, file: File) =>
      json<Message>(`/conversations/${encodeURIComponent(id)}/files`, {
        method: "POST",
        body: file,
        headers: { "content-type": "application/octet-stream", "x-file-name": encodeURIComponent(file.name) },
      }),
    /** An internal note in the chat: co-workers read it, the visitor never does. */
    note: (id: string, text: string) =>
      json<Message>(`/conversations/${encodeURIComponent(id)}/notes`, { method: "POST", json: { text } }),
    /** Releases a message screening held into the chat, for every agent; audited. */
    release: (id: string, messageId: number) =>
      json<Message>(`/conversations/${encodeURIComponent(id)}/messages/${messageId}/release`, { method: "POST" }),
    /** Asks to show a message's masked words: the server audits it, then the console shows them. */
    reveal: async (id: string, messageId: number) =>
      void (await send(`/conversations/${encodeURIComponent(id)}/messages/${messageId}/reveal`, { method: "POST" })),
    /** Tells the visitor the agent is typing; the server passes it on for active chats only, and not too often. */
    typing: async (id: string) =>
      void (await send(`/conversations/${encodeURIComponent(id)}/typing`, { method: "POST" })),
    /** Closes a chat, or with `{ spam: true }` closes it as spam: that counts toward the visitor's automatic ban. */
    close: (id: string, body?: { spam: true }) =>
      json<Conversation>(`/conversations/${encodeURIComponent(id)}/close`, { method: "POST", json: body }),
    block: (id: string, body: { scope: RuleKind | RuleKind[]; comment: string; expiresAt?: string | null }) =>
      json<{ rules: BlockedRule[]; conversation: Conversation }>(`/conversations/${encodeURIComponent(id)}/block`, {
        method: "POST",
        json: body,
      }),
    setPreviews: (id: string, show: boolean | null) =>
      json<Previews>(`/conversations/${encodeURIComponent(id)}/previews`, { method: "PUT", json: { show } }),

    /** Uploads an image (PNG, JPEG, GIF or WebP, at most 1 MiB) for the team avatar; it shows once the policy names it. */
    uploadTeamAvatar: async (file: File) =>
      (await json<{ fileId: string }>("/avatar", { method: "POST", body: file, headers: AVATAR_UPLOAD })).fileId,
    /** The signed-in user's avatar, shown to visitors beside their messages. */
    myAvatar: async () => (await json<{ fileId: string | null }>("/me/avatar")).fileId,
    setMyAvatar: async (file: File) =>
      (await json<{ fileId: string }>("/me/avatar", { method: "PUT", body: file, headers: AVATAR_UPLOAD })).fileId,
    removeMyAvatar: async () => void (await send("/me/avatar", { method: "DELETE" })),
    /** Where visitors' widgets read an avatar of the account: served publicly, without a session. */
    avatarUrl: (account: string, fileId: string) =>
      `/api/v1/widget/${encodeURIComponent(account)}/avatars/${encodeURIComponent(fileId)}`,

    /** Where the bytes of a file are; only used as an <img src> or a download link. */
    fileUrl: (id: string) => `${base}/files/${encodeURIComponent(id)}`,
    eventsUrl: () => `${base}/events`,
    /** Calls `listener` whenever a request finds the session gone; returns the unsubscribe. */
    onSignedOut(listener: () => void) {
      signedOutListeners.add(listener);
      return () => void signedOutListeners.delete(listener);
    },
    /** Calls `listener` whenever a request is refused until the user sets up two-factor sign-in; returns the unsubscribe. */
    onEnrolmentRequired(listener: () => void) {
      enrolmentListeners.add(listener);
      return () => void enrolmentListeners.delete(listener);
    },
  };
}

export type Api = ReturnType<typeof createApi>;

async function errorOf(response: Response): Promise<RequestFailure> {
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; fields?: Record<string, string> };
    };
    if (body.error?.code)
      return new RequestFailure(response.status, body.error.code, body.error.message ?? "", body.error.fields ?? {});
  } catch {
    // Not the contract's JSON (a proxy's error page): fall through to a generic error.
  }
  return new RequestFailure(
    response.status,
    "http_" + response.status,
    `The server answered ${response.status}: try again in a moment.`,
  );
}

/** A message for any thrown value, for places that show one line. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
