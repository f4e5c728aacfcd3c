// Appearance (Live Chat Window): how the widget looks on the owner's site — its accent colour, its side
// and distance from the corner, the button's label, a greeting, the team's name and the colour scheme —
// beside a live preview of the real widget. A field left empty takes the widget's default.

import { useState } from "preact/hooks";
import { labelOf } from "../policy/field-labels";
import {
  MAX_BUTTON_LABEL_CHARS,
  MAX_GREETING_CHARS,
  MAX_TEAM_NAME_CHARS,
  MAX_WIDGET_OFFSET_PX,
} from "../policy/limits";
import type { WindowSettings } from "../policy/schema";
import { DEFAULT_OFFSET_PX } from "../policy/widget-look";
import { AccentField } from "./AccentField";
import { TextField } from "./TextField";
import { WidgetPreview } from "./WidgetPreview";

/** The policy's error fields this fieldset shows beside its inputs. */
export const APPEARANCE_FIELDS = [
  "window.accent",
  "window.position",
  "window.offset",
  "window.offset.0",
  "window.offset.1",
  "window.label",
  "window.greeting",
  "window.teamName",
  "window.scheme",
];

/** The words a label starts with when the owner turns "Icon only" off. */
const SUGGESTED_LABEL = "Chat with us";

type Choice<T> = [T, string];
const POSITIONS: Choice<"right" | "left">[] = [
  ["right", "Bottom right"],
  ["left", "Bottom left"],
];
const SCHEMES: Choice<"auto" | "light" | "dark">[] = [
  ["auto", "Match the visitor's device"],
  ["light", "Light"],
  ["dark", "Dark"],
];

type SetSetting = <K extends keyof WindowSettings>(key: K, value: WindowSettings[K]) => void;

export function AppearanceFields({
  value = {},
  set,
  errors,
  account,
}: {
  value: WindowSettings | undefined;
  /** The account the preview draws the avatars of. */
  account: string;
  /** Changes one setting; undefined leaves it out (its default). */
  set: SetSetting;
  /** The policy's field errors, keyed as the server names them (`window.accent`). */
  errors: Record<string, string>;
}) {
  const iconOnly = value.label === undefined || value.label === null;
  return (
    <fieldset class="appearance">
      <legend>Appearance</legend>
      <div class="appearance-fields">
        <AccentField
          value={value.accent}
          onChange={(accent) => set("accent", accent)}
          error={errors["window.accent"]}
        />
        <Radios
          name="position"
          choices={POSITIONS}
          current={value.position ?? "right"}
          onChange={(position) => set("position", position)}
          hint="In Arabic and Hebrew, which read right to left, the chat is mirrored: its side too."
          error={errors["window.position"]}
        />
        <OffsetFields value={value.offset} set={set} errors={errors} />
        <div class="field">
          <label>
            <input
              type="checkbox"
              checked={iconOnly}
              onChange={(event) => set("label", event.currentTarget.checked ? null : SUGGESTED_LABEL)}
            />{" "}
            Icon only
          </label>
          <p class="hint">A round button; screen readers call it "Open chat", in the visitor's language.</p>
        </div>
        {!iconOnly && (
          <TextField
            id="window-label"
            label={labelOf("window.label")}
            value={value.label ?? ""}
            onInput={(label) => set("label", label)}
            maxLength={MAX_BUTTON_LABEL_CHARS}
            hint="Beside the icon. Visitors read it as you write it, whatever their language."
            error={errors["window.label"]}
          />
        )}
        <TextField
          id="window-greeting"
          label={labelOf("window.greeting")}
          value={value.greeting ?? ""}
          onInput={(greeting) => set("greeting", greeting === "" ? undefined : greeting)}
          multiline
          prose
          rows={3}
          maxLength={MAX_GREETING_CHARS}
          hint="The first words visitors read in the panel, from your team. Empty: none."
          error={errors["window.greeting"]}
        />
        <TextField
          id="window-team-name"
          label={labelOf("window.teamName")}
          value={value.teamName ?? ""}
          onInput={(teamName) => set("teamName", teamName === "" ? undefined : teamName)}
          maxLength={MAX_TEAM_NAME_CHARS}
          placeholder="Chat with us"
          hint={`Heads the panel. Empty: "Chat with us", in the visitor's language.`}
          error={errors["window.teamName"]}
        />
        <Radios
          name="scheme"
          choices={SCHEMES}
          current={value.scheme ?? "auto"}
          onChange={(scheme) => set("scheme", scheme)}
          hint="The panel is light or dark as the visitor's device prefers, unless you choose one."
          error={errors["window.scheme"]}
        />
      </div>
      <WidgetPreview settings={value} account={account} />
    </fieldset>
  );
}

/** A group of radio buttons for one setting, named by its label. */
function Radios<T extends string>(props: {
  name: "position" | "scheme";
  choices: Choice<T>[];
  current: T;
  onChange(value: T): void;
  hint: string;
  error: string | undefined;
}) {
  const label = labelOf(`window.${props.name}`);
  const id = `window-${props.name}`;
  return (
    <fieldset>
      <legend>{label}</legend>
      <div role="radiogroup" aria-label={label} aria-describedby={`${id}-hint`}>
        {props.choices.map(([value, text]) => (
          <label key={value}>
            <input type="radio" name={id} checked={props.current === value} onChange={() => props.onChange(value)} />{" "}
            {text}
          </label>
        ))}
      </div>
      <p class="hint" id={`${id}-hint`}>
        {props.hint}
      </p>
      {props.error && <p class="error">{props.error}</p>}
    </fieldset>
  );
}

/**
 * The button's distance from its corner, across and up, in pixels. An emptied field stays empty as
 * typed (the default applies to it); a wrong number is sent as typed, for the server's message on it.
 */
function OffsetFields({
  value,
  set,
  errors,
}: {
  value: WindowSettings["offset"];
  set: SetSetting;
  errors: Record<string, string>;
}) {
  const stored = value ?? [DEFAULT_OFFSET_PX, DEFAULT_OFFSET_PX];
  const [texts, setTexts] = useState<[string | null, string | null]>([null, null]);
  const error = errors["window.offset"] ?? errors["window.offset.0"] ?? errors["window.offset.1"];
  const input = (at: 0 | 1, label: string) => (
    <TextField
      id={`window-offset-${at}`}
      label={label}
      type="number"
      value={texts[at] ?? String(stored[at])}
      onInput={(text) => {
        const nextTexts: [string | null, string | null] = [...texts];
        nextTexts[at] = text;
        setTexts(nextTexts);
        const next: [number, number] = [...stored];
        next[at] = text.trim() === "" ? DEFAULT_OFFSET_PX : Number(text);
        set("offset", next);
      }}
    />
  );
  return (
    <fieldset class="offsets">
      <legend>{labelOf("window.offset")}</legend>
      {input(0, "From the side (px)")}
      {input(1, "From the bottom (px)")}
      <p class="hint">
        From 0 to {MAX_WIDGET_OFFSET_PX}, {DEFAULT_OFFSET_PX} unless you change it: room for a button of your page's own
        in the corner.
      </p>
      {error && <p class="error">{error}</p>}
    </fieldset>
  );
}
