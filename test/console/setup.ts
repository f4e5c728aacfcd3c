// Shared by the console tests: an msw server over the console API, a log of the requests it saw,
// and sample data.

import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { act, cleanup } from "@testing-library/preact";
import { createApi } from "../../console/api";
import type { EventSourceFactory } from "../../console/events";
import type { Conversation, ListedRule, Me, Message, NetworkStatus, PolicyDocument } from "../../console/types";

const BASE = "http://localhost:3000/api/v1/console";
export const api = createApi(BASE);
export const url = (path: string) => `${BASE}${path}`;

/** Handlers every test may meet without caring (an Options page lists the canned replies, your sessions and avatar); a test's own win. */
export const server = setupServer(
  http.get(url("/replies"), () => HttpResponse.json({ replies: [] })),
  http.get(url("/me/sessions"), () => HttpResponse.json([])),
  http.get(url("/me/avatar"), () => HttpResponse.json({ fileId: null })),
);
/** Every request's method and path since the test began. Listened for once: the module, and so the server, may serve several test files. */
export const seen: string[] = [];
server.events.on(
  "request:start",
  ({ request }) => void seen.push(`${request.method} ${new URL(request.url).pathname}`),
);

/** Starts msw for this test file. */
export function useMockServer() {
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    cleanup();
    server.resetHandlers();
    seen.length = 0;
  });
  afterAll(() => server.close());
}

export const owner: Me = {
  user: { id: "user_1", email: "owner@acme.test", role: "owner" },
  account: "acme",
  options: {
    imagePreviews: true,
    displayName: null,
    sound: true,
    theme: "auto",
    mail: { offlineMessages: true, unansweredMinutes: null, digest: false },
  },
  twoFactor: { enabled: false, backupCodesLeft: 0, required: false },
  mailConfigured: true,
};
export const agent: Me = {
  user: { id: "user_2", email: "agent@acme.test", role: "agent" },
  account: "acme",
  options: {
    imagePreviews: false,
    displayName: null,
    sound: true,
    theme: "auto",
    mail: { offlineMessages: false, unansweredMinutes: null, digest: false },
  },
  twoFactor: { enabled: false, backupCodesLeft: 0, required: false },
  mailConfigured: true,
};

export const policyDoc = (): PolicyDocument => ({
  countries: { mode: "off", list: [] },
  websites: { allowed: [], blocked: [] },
  files: { categories: ["image", "audio", "video", "text"], maxBytes: 10 * 1024 * 1024 },
});

export const conversation = (over: Partial<Conversation> = {}): Conversation => ({
  id: "conv_1",
  accountId: "acme",
  visitorId: "v_1",
  status: "active",
  visitorIp: "203.0.113.7",
  visitorCountry: "DE",
  visitorAddresses: [{ ip: "203.0.113.7", country: "DE", since: "2026-01-01T10:00:00.000Z" }],
  page: "https://example.com/",
  agentUserId: "user_2",
  createdAt: "2026-01-01T10:00:00.000Z",
  acceptedAt: "2026-01-01T10:01:00.000Z",
  closedAt: null,
  closedReason: null,
  offline: false,
  agentName: null,
  visitorName: null,
  visitorEmail: null,
  answers: [],
  consent: null,
  ...over,
});

export const imageMessage: Message = {
  id: 7,
  conversationId: "conv_1",
  author: "visitor",
  userId: null,
  agentName: null,
  agentAvatar: null,
  text: "look",
  file: { id: "file_1", name: "cat.png", size: 2048, kind: "PNG image", mime: "image/png", category: "image" },
  createdAt: "2026-01-01T10:02:00.000Z",
  screening: null,
  held: false,
  released: null,
};

export const rule = (over: Partial<ListedRule> = {}): ListedRule => ({
  id: "rule_1",
  kind: "network",
  rule: "198.51.100.0/24",
  label: null,
  comment: "spam",
  createdBy: { kind: "agent", userId: "user_2", email: "agent@acme.test", conversationId: "conv_9" },
  conversationId: "conv_9",
  chat: { id: "conv_9", visitorIp: "198.51.100.20", startedAt: "2026-01-01T08:55:00.000Z" },
  createdAt: "2026-01-01T09:00:00.000Z",
  expiresAt: null,
  ...over,
});

export const networkStatus = (tor: Partial<NetworkStatus["tor"]> = {}): NetworkStatus => ({
  tor: { file: null, addresses: 0, skipped: 0, error: null, loadedAt: null, ...tor },
  hosting: { networks: 42 },
});

export const apiError = (code: string, message: string, fields?: Record<string, string>) => ({
  error: fields ? { code, message, fields } : { code, message },
});

/** An event feed the test writes to, in place of the console's EventSource. */
export function fakeFeed() {
  const listeners = new Map<string, (event: MessageEvent<string>) => void>();
  const open = (() => ({
    addEventListener: (type: string, listener: (event: MessageEvent<string>) => void) =>
      void listeners.set(type, listener),
    close: () => {},
  })) as unknown as EventSourceFactory;
  /** Delivers one event of `type` whose data is `payload`, as the server's stream would. */
  const deliver = (type: string, payload: unknown) =>
    act(() => listeners.get(type)?.(new MessageEvent(type, { data: JSON.stringify(payload) })));
  return {
    open,
    listening: (type: string) => listeners.has(type),
    deliver,
    /** One event of the log, which travels as `{type, data}` (typing alone travels bare). */
    send: (type: string, data: unknown) => deliver(type, { type, data }),
  };
}
