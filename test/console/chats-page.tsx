// The chats page with one chat (conv_1) open over msw, fed by a fake event feed through the real hub:
// shared by the console tests of what an open chat shows and does.
import { render } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { ChatsPage } from "../../console/ChatsPage";
import { connectEvents, createEventHub } from "../../console/events";
import { createChatsModel } from "../../console/models/chats-model";
import { createNotifier } from "../../console/notifier";
import type { AsOf, CannedReply, Conversation, Message } from "../../console/types";
import { api, conversation, fakeFeed, server, url } from "./setup";

export interface OpenChat {
  chat?: Conversation;
  messages?: Message[];
  /** Whether the chat's image previews show. */
  previews?: boolean;
  visitorAs?: AsOf | null;
  /** The chats in the lists, each under its status. */
  listed?: Conversation[];
  /** The co-workers' emails by user id, as the team list gives them. */
  emails?: Record<string, string>;
  /** The account's canned replies. */
  replies?: CannedReply[];
  /** Whether the server sends mail (SMTP_URL). */
  mailsAnswers?: boolean;
  /** Whether the user is an owner (answers visitors' data requests). */
  isOwner?: boolean;
}

/** Answers the console's requests about conv_1 and the lists, as OpenChat says. */
export function serveChat(open: OpenChat = {}): void {
  const { chat = conversation(), messages = [], previews = false, visitorAs = null, listed = [], replies = [] } = open;
  server.use(
    http.get(url("/conversations"), ({ request }) => {
      const status = new URL(request.url).searchParams.get("status");
      return HttpResponse.json({
        conversations: listed.filter((c) => c.status === status).map((c) => ({ ...c, lastMessage: null })),
      });
    }),
    http.get(url("/conversations/conv_1"), () =>
      HttpResponse.json({ conversation: chat, messages, previews: { show: previews, override: null }, visitorAs }),
    ),
    http.put(url("/conversations/conv_1/previews"), async ({ request }) => {
      const body = (await request.json()) as { show: boolean };
      return HttpResponse.json({ show: body.show, override: body.show });
    }),
    http.post(url("/conversations/conv_1/typing"), () => new HttpResponse(null, { status: 204 })),
    http.get(url("/replies"), () => HttpResponse.json({ replies })),
    http.get(
      url("/files/file_1"),
      () => new HttpResponse(new Uint8Array([137, 80, 78, 71]), { headers: { "content-type": "image/png" } }),
    ),
  );
}

export function renderChat(open: OpenChat = {}) {
  serveChat(open);
  const feed = fakeFeed();
  const hub = createEventHub();
  const chats = createChatsModel(api);
  hub.listen(chats.handleEvent);
  connectEvents(url("/events"), hub.emit, feed.open);
  void chats.load();
  /** Each time the page asked to show the lists alone. */
  const closed: string[] = [];
  const view = render(
    <ChatsPage
      api={api}
      chats={chats}
      openId="conv_1"
      notifier={createNotifier(document, undefined)}
      listen={hub.listen}
      emailOf={(userId) => open.emails?.[userId] ?? null}
      mailsAnswers={open.mailsAnswers ?? false}
      isOwner={open.isOwner ?? false}
      closeChat={() => closed.push("closed")}
    />,
  );
  return { ...view, feed, closed };
}
