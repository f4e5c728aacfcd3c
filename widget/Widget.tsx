// The widget's root: the chat button, and the panel, whose code is fetched when the pointer first comes
// near the button, on first open, or at once when this browser has a chat open (its stream then brings
// the agent's answers to the button's badge). Opening moves focus into the panel (Panel does it); closing
// brings it back to the button. Plain hooks here: @preact/signals loads with the panel, keeping the first
// bundle small.

import type { FunctionComponent } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { Boot } from "./boot";
import { ChatButton, type UnreadBadge } from "./ChatButton";
import type { Locale } from "./i18n/languages";
import type { PanelProps } from "./Panel";
import { conversationKey, readStored } from "./storage";

/** The button, and once fetched, the panel; `boot` and the visitor's `locale` are handed to the panel. */
export function Widget({ boot, locale }: { boot: Boot; locale: Locale }) {
  const [open, setOpen] = useState(false);
  const [unread, setUnread] = useState<UnreadBadge | null>(null);
  const [Panel, setPanel] = useState<FunctionComponent<PanelProps> | null>(null);
  const loading = useRef<Promise<unknown> | null>(null);
  const button = useRef<HTMLButtonElement>(null);

  // A failed fetch is forgotten, to be tried again on the next click.
  const load = () =>
    (loading.current ??= import("./Panel").then(
      (module) => setPanel(() => module.Panel),
      () => {
        loading.current = null;
        setOpen(false);
      },
    ));
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const toggle = () => {
    if (open) return close();
    setOpen(true);
    void load();
  };
  useEffect(() => {
    if (readStored(conversationKey(boot.account)) !== null) void load();
  }, []);

  return (
    <>
      <ChatButton
        open={open}
        texts={locale.texts}
        unread={unread}
        label={boot.config.label}
        onClick={toggle}
        onPointerEnter={() => void load()}
        buttonRef={button}
      />
      {Panel && <Panel boot={boot} locale={locale} open={open} onClose={close} onUnread={setUnread} />}
    </>
  );
}
