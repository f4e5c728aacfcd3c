// The notices of automatic bans, on every page: what Hatch did and why, the chat it came from, a dismiss.

import type { BanNoticesModel } from "./models/ban-notices-model";
import { hrefOf } from "./router";

export function BanNotices({ model }: { model: BanNoticesModel }) {
  // One live region that stays in the page, so screen readers announce each notice put into it.
  return (
    <div class="ban-notices" role="status">
      {model.notices.value.map((notice) => (
        <p key={notice.id} class="notice notice-ban">
          {notice.message}{" "}
          {notice.conversationId && <a href={hrefOf({ page: "chats", id: notice.conversationId })}>Open the chat</a>}{" "}
          <button type="button" class="link" onClick={() => model.dismiss(notice.id)}>
            Dismiss
          </button>
        </p>
      ))}
    </div>
  );
}
