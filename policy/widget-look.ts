// The widget's look and forms as the verdict's `config` carries them to the widget: only what differs
// from the widget every site had before, the text colour on the accent computed once, when the policy compiles.

import { TEXT_COLOURS, textOn } from "./contrast";
import type { OfflineEmail, PrechatField, PrivacyLook } from "./prechat";
import type { WindowSettings } from "./schema";

/**
 * The widget's own blue, the white on it, and the distance of the button from its corner, across and
 * up; widget/styles.ts draws them when the config leaves them out.
 */
export const DEFAULT_ACCENT = "#0b57d0";
const DEFAULT_ON_ACCENT = TEXT_COLOURS[0];
export const DEFAULT_OFFSET_PX = 16;

/**
 * What the widget draws beyond its defaults: `onAccent` is the text colour on `accent` (policy/contrast.ts);
 * `position` only "left" (the default is right); `label` the button's words (absent: the icon only);
 * `scheme` only when forced (absent: the visitor's device decides).
 */
export interface WidgetLook {
  accent?: string;
  onAccent?: string;
  position?: "left";
  offset?: [number, number];
  label?: string;
  greeting?: string;
  teamName?: string;
  /** The team avatar's file id, served at the widget API's `avatars/:fileId`. */
  avatar?: string;
  scheme?: "light" | "dark";
  /** The pre-chat form's fields, when it has any (policy/prechat.ts). */
  prechat?: PrechatField[];
  /** The email asked while nobody is online, when not the default "optional". */
  offlineEmail?: Exclude<OfflineEmail, "optional">;
  /** The privacy notice shown before the first message, when the owner wrote one. */
  privacy?: PrivacyLook;
}

/**
 * The look the widget is sent for a policy's `window` settings, every default left out.
 * @example widgetLookOf({ accent: "#ffd600", position: "right" }) // { accent: "#ffd600", onAccent: "#111111" }
 */
export function widgetLookOf(window: WindowSettings = {}): WidgetLook {
  const look: WidgetLook = {};
  const { accent, position, offset, label, greeting, teamName, avatar, scheme, prechat, offlineEmail, privacy } =
    window;
  if (accent !== undefined && accent !== DEFAULT_ACCENT) {
    look.accent = accent;
    const { colour } = textOn(accent);
    if (colour !== DEFAULT_ON_ACCENT) look.onAccent = colour;
  }
  if (position === "left") look.position = position;
  if (offset && offset.some((px) => px !== DEFAULT_OFFSET_PX)) look.offset = offset;
  if (label) look.label = label;
  if (greeting !== undefined) look.greeting = greeting;
  if (teamName !== undefined) look.teamName = teamName;
  if (avatar) look.avatar = avatar;
  if (scheme === "light" || scheme === "dark") look.scheme = scheme;
  if (prechat && prechat.fields.length > 0) look.prechat = prechat.fields;
  if (offlineEmail === "required" || offlineEmail === "off") look.offlineEmail = offlineEmail;
  if (privacy) look.privacy = privacyLookOf(privacy);
  return look;
}

/** The notice as the widget draws it: version 1 when the owner gave none, `requireConsent` only when on. */
function privacyLookOf({
  text,
  url,
  requireConsent,
  version = 1,
}: NonNullable<WindowSettings["privacy"]>): PrivacyLook {
  return { text, ...(url !== undefined && { url }), ...(requireConsent === true && { requireConsent }), version };
}
