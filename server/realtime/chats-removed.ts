// After chats are removed from the store (an erasure, retention): their files' bytes go, and every open
// console on every instance drops them.

import type { Deps } from "../deps";

/**
 * The rows are gone, so no route reaches the bytes any more; they go now. One that will not go is
 * logged, and the consoles are told all the same: the chats are gone. The event names only their ids.
 */
export async function dropRemovedChats(
  deps: Deps,
  accountId: string,
  removed: { conversationIds: readonly string[]; fileIds: readonly string[] },
): Promise<void> {
  const removals = await Promise.allSettled(removed.fileIds.map((id) => deps.files.remove(id)));
  for (const removal of removals)
    if (removal.status === "rejected")
      deps.log.error({ account: accountId, error: String(removal.reason) }, "a removed chat's file stayed on disk");
  const eventId = await deps.conversations.appendAccountEvent(
    accountId,
    "erased",
    { conversationIds: removed.conversationIds },
    deps.now(),
  );
  deps.changes.publish({ type: "event", accountId, conversationId: null, eventId });
}
