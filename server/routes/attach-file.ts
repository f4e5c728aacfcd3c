// A file sent into a chat, by the visitor or by an agent: the one path both upload routes take. The
// bytes are judged on the way in (files/uploads.ts), charged to the sender's hourly byte budget, and
// kept as a message of the chat, announced like any other.

import type { FilePolicy } from "../../policy/schema";
import type { Deps } from "../deps";
import { ApiError } from "../http/errors";
import { newId } from "../ids";
import { announceFileRefused, announceMessage } from "../webhooks/chat-events";
import { cleanFileName, receiveUpload } from "../files/uploads";
import { conversationEvent } from "../realtime/changes";
import type { Conversation, Message } from "../store/conversations";

/** Who sends a file into which chat, under which rules, from whose budget. */
interface Attachment {
  conversation: Conversation;
  author: "visitor" | "agent";
  /** The agent's user id; null for the visitor. */
  userId: string | null;
  /** The account's file rules: the categories allowed and the size limit. */
  rules: FilePolicy;
  /** Whose `uploadBytes` budget the bytes come from: the visitor's address, or the agent's user. */
  budgetKey: string;
}

/**
 * Receives the request's raw body (named by `X-File-Name`) as a file of the chat: 413 or 415 as
 * receiveUpload() refuses it; else the stored message, published to the chat's streams. Null, with
 * nothing kept, when the chat closed while the bytes arrived.
 */
export async function attachFile(deps: Deps, request: Request, attachment: Attachment): Promise<Message | null> {
  const { conversation, rules, budgetKey } = attachment;
  // Reserved before a byte is read and the unused rest refunded after: a budget checked first and
  // charged after lets any number of parallel uploads through.
  const reserved = uploadReservation(request.headers.get("content-length"), rules.maxBytes);
  await deps.limits.uploadBytes.take(budgetKey, reserved);
  let kept = 0;
  try {
    const name = request.headers.get("x-file-name") ?? "";
    const file = await receiveUpload(request, name, rules, deps.files).catch(async (error: unknown) => {
      // A file refused for what it is or its size is an event the team may want to hear of.
      if (error instanceof ApiError && (error.status === 413 || error.status === 415))
        await announceFileRefused(
          deps,
          conversation,
          { author: attachment.author, name: cleanFileName(name), code: error.code, message: error.message },
          newId("refusal"),
        );
      throw error;
    });
    const written = await deps.conversations.addMessage(
      conversation,
      attachment.author,
      attachment.userId,
      "",
      file,
      deps.now(),
    );
    if (!written) {
      await deps.files.remove(file.id);
      return null;
    }
    kept = file.size;
    deps.changes.publish(conversationEvent(conversation, written.eventId));
    await announceMessage(deps, conversation, written.message);
    return written.message;
  } finally {
    if (reserved > kept) await deps.limits.uploadBytes.refund(budgetKey, reserved - kept);
  }
}

/** The bytes an upload may take from the budget: what it declares, else (or when it declares more) the policy's maximum. */
function uploadReservation(contentLength: string | null, maxBytes: number): number {
  const declared = contentLength !== null && /^\d{1,15}$/.test(contentLength) ? Number(contentLength) : maxBytes;
  return Math.max(1, Math.min(declared, maxBytes));
}
