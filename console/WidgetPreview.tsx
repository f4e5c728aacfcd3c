// A live preview of the real widget beside the Appearance settings, open or closed, on a desktop's
// screen or a phone's.
//
// Decision: the console may not import widget/ (console/ and widget/ never import each other), and
// drawing the built bundle into the console's own page would let the console's styles and media queries
// (a phone's width, the colour scheme) speak for the visitor's. So the preview is an <iframe> of
// /console/widget-preview, a page the server writes that mounts the built widget with a made-up boot
// (no verdict, no ticket, no chat: its CSP allows no request). The look goes in by postMessage to that
// frame, on this origin only, when it loads and on every change; the widget redraws in place, the panel
// staying as it was. The frame is inert: a picture, never focused or typed into.

import { useEffect, useRef, useState } from "preact/hooks";
import type { WindowSettings } from "../policy/schema";
import { widgetLookOf } from "../policy/widget-look";

const PREVIEW_PATH = "/console/widget-preview";
const HEX_COLOUR = /^#[0-9a-f]{6}$/i;
const whole = (px: unknown) => Number.isInteger(px);

/**
 * The config the preview draws: the look as the verdict would carry it (policy/widget-look.ts) and the
 * pinned language. What is half typed (an accent of three digits, an offset being rewritten) is left
 * out, so the preview shows the default there rather than nothing.
 */
function previewConfig(settings: WindowSettings) {
  const accent = settings.accent?.trim();
  const drawable = {
    ...settings,
    accent: accent && HEX_COLOUR.test(accent) ? accent.toLowerCase() : undefined,
    offset: settings.offset?.every(whole) ? settings.offset : undefined,
  };
  return { ...widgetLookOf(drawable), ...(settings.language ? { language: settings.language } : {}) };
}

/** `account`: whose avatars the preview shows, read from its widget API as visitors' widgets read them. */
export function WidgetPreview({ settings, account }: { settings: WindowSettings; account: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [open, setOpen] = useState(true);
  const [phone, setPhone] = useState(false);
  const message = { config: previewConfig(settings), open, account };
  const post = () => frame.current?.contentWindow?.postMessage(message, location.origin);
  const key = JSON.stringify(message);
  useEffect(post, [key]);
  return (
    <figure class="widget-preview">
      <iframe
        ref={frame}
        src={PREVIEW_PATH}
        title="Preview of the chat on your site"
        class={phone ? "phone" : undefined}
        inert
        onLoad={post}
      />
      <figcaption>
        <label>
          <input type="checkbox" checked={open} onChange={(event) => setOpen(event.currentTarget.checked)} /> Panel open
        </label>{" "}
        <label>
          <input type="checkbox" checked={phone} onChange={(event) => setPhone(event.currentTarget.checked)} /> On a
          phone (390 px wide)
        </label>
      </figcaption>
    </figure>
  );
}
