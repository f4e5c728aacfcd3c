// A file sent into a chat, by the visitor or by an agent: the one path both upload routes take. The
// bytes are judged on the way in (files/uploads.ts), charged to the sender's hourly byte budget, and
// kept as a message of the chat, announced like any other.

import type { FilePolicy, Screening } from "../../policy/schema";
import type { Deps } from "../deps";
import { ApiError } from "../http/errors";
import { newId } from "../ids";
import { announceFileRefused, announceMessage } from "../webhooks/chat-events";
import { cleanFileName, receiveUpload } from "../files/uploads";
import { conversationEvent } from "../realtime/changes";
import type { Conversation, Message, StoredFile } from "../store/conversations";
import { inspectionMessage } from "../../policy/file-messages";
import { parseIp } from "../../policy/ip";
import { countAct } from "../protection/protection";
import { maskedVisitorText } from "../screening/screen";

/** Who sends a file into which chat, under which rules, from whose budget. */
interface Attachment {
  conversation: Conversation;
  author: "visitor" | "agent";
  /** The agent's user id; null for the visitor. */
  userId: string | null;
  /** The account's file rules: the categories allowed and the size limit. */
  rules: FilePolicy;
  /** The account's screening, for a visitor's file name (agents' words are not screened); null for an agent. */
  screening: Screening | null;
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
    const sent = request.headers.get("x-file-name") ?? "";
    // A file's name is words the visitor chose, shown to agents beside it: screened like a form's
    // answer, read as receiveUpload() reads it and given back to it encoded the same way.
    const name =
      attachment.screening === null
        ? sent
        : encodeURIComponent(maskedVisitorText(cleanFileName(sent), attachment.screening));
    const file = await receiveUpload(request, name, rules, deps.files).catch(async (error: unknown) => {
      await tellRefused(deps, attachment, cleanFileName(name), error);
      throw error;
    });
    await scanForViruses(deps, attachment, file);
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

/**
 * A file refused for what it is, what it holds or its size: a line in the chat for the agents (never
 * the file), and an event the team may want to hear of. The visitor has the refusal in their words.
 */
async function tellRefused(deps: Deps, attachment: Attachment, name: string, error: unknown): Promise<void> {
  if (!(error instanceof ApiError) || (error.status !== 413 && error.status !== 415)) return;
  const { conversation, author } = attachment;
  const whose = author === "agent" ? "An agent's" : "The visitor's";
  const line = await deps.conversations.addMessage(
    conversation,
    "system",
    null,
    `${whose} file was refused: ${error.message}`,
    null,
    deps.now(),
  );
  if (line) deps.changes.publish(conversationEvent(conversation, line.eventId));
  await announceFileRefused(
    deps,
    conversation,
    { author, name, code: error.code, message: error.message },
    newId("refusal"),
  );
}

/**
 * Streams a stored upload to clamd (CLAMD_URL) before anyone can see it. A finding refuses the file
 * (415 `malware`; the signature goes to the audit, not to the visitor) and counts as an abusive act
 * toward the visitor's automatic ban. A scanner that cannot tell refuses the upload (503), unless the
 * operator chose CLAMD_OPTIONAL, when it goes unscanned and the log says so.
 */
async function scanForViruses(deps: Deps, attachment: Attachment, file: StoredFile): Promise<void> {
  if (deps.scanner === null) return;
  const stored = await deps.files.read(file.id);
  let found: string | null;
  try {
    found = stored === null ? null : (await deps.scanner.scan(stored.stream)).found;
  } catch (error) {
    stored?.stream.destroy();
    deps.log.warn({ err: error, file: file.id, optional: deps.scannerOptional }, "virus scanner unavailable");
    if (deps.scannerOptional) return;
    await deps.files.remove(file.id);
    throw new ApiError(
      503,
      "scanner_unavailable",
      "Files cannot be checked for viruses just now: send it again in a minute.",
      {
        headers: { "retry-after": "60" },
      },
    );
  }
  if (found === null) return;
  await deps.files.remove(file.id);
  const { conversation } = attachment;
  await deps.conversations.auditFileRefused(conversation, { name: file.name, signature: found }, deps.now());
  const refused = new ApiError(415, "malware", inspectionMessage({ code: "malware", name: file.name }));
  await tellRefused(deps, attachment, file.name, refused);
  if (attachment.author === "visitor") await countMalware(deps, conversation);
  throw refused;
}

/** An infected file from a visitor counts as one abusive message toward their automatic ban. */
async function countMalware(deps: Deps, conversation: Conversation): Promise<void> {
  const policy = await deps.policyCache.get(conversation.accountId);
  const ip = parseIp(conversation.visitorIp);
  if (!policy || !ip.ok) return;
  await countAct(deps, policy, "abuse", {
    accountId: conversation.accountId,
    visitorId: conversation.visitorId,
    ip: ip.address,
    conversation,
  });
}
