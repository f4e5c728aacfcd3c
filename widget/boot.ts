// What the loader hands the widget's `mount` after a `show` verdict; every part of the widget reads it.

import type { FilePolicy } from "../policy/schema";
import type { WidgetLook } from "../policy/widget-look";

/** The loader's handover: where the chat host is, whose chat this is, and the verdict's config. */
export interface Boot {
  /** The chat host's origin, the API base: "https://chat.example.com". */
  base: string;
  account: string;
  /**
   * The visitor id the verdict gave, the account's file policy (the widget checks files before upload),
   * the language the owner pinned ("de"), absent to follow the visitor's browser, and `away` when no
   * agent is online: the chat then takes a message, answered on a later visit. Then the owner's look,
   * only where it differs from the widget's own.
   */
  config: { visitor: string; files: FilePolicy; language?: string; away?: boolean } & WidgetLook;
  /** The element the loader added to the page; removing it removes the widget. */
  host: HTMLElement;
}
