// server/screening/: what is done with a visitor's words before anyone reads them (issue #28).
// One pass per message, decided once and stored with it: card numbers masked in the text itself,
// abusive words and links found as spans of that text, and whether the message is held.

import type { MessageScreening } from "../../policy/chat";
import type { Intake } from "../../policy/prechat";
import { MASK } from "../../policy/screened-text";
import type { Screening } from "../../policy/schema";
import { abuseFinder } from "./abuse";
import { maskCards } from "./cards";
import { findLinks } from "./links";

/** A visitor's message as it is stored: its text (cards masked), what was found, and whether it is held. */
export interface Screened {
  text: string;
  screening: MessageScreening | null;
  held: boolean;
  /** Abusive words were found: it counts toward the visitor's automatic ban. */
  abusive: boolean;
}

type FindAbuse = (text: string) => [number, number][];

/**
 * Each account's finder, built once per policy version: the compiled policy's `screening` object is
 * new only when the owner saves, and the entry goes with it.
 */
const finders = new WeakMap<Screening, FindAbuse>();

function finderFor(settings: Screening): FindAbuse {
  let find = finders.get(settings);
  if (find === undefined) {
    find = abuseFinder({ words: settings.words, allowed: settings.allowed });
    finders.set(settings, find);
  }
  return find;
}

/** Screens a visitor's message under the account's settings. */
export function screenMessage(text: string, settings: Screening): Screened {
  const stored = settings.cards ? maskCards(text) : text;
  const abuse = settings.abuse === "off" ? [] : finderFor(settings)(stored);
  const links = findLinks(stored);
  const abusive = abuse.length > 0;
  const held = (abusive && settings.abuse === "hold") || (links.length > 0 && settings.links === "hold");
  if (!abusive && links.length === 0) return { text: stored, screening: null, held, abusive };
  const screening: MessageScreening = { abuse, links };
  if (settings.links === "allow") screening.clickable = true;
  return { text: stored, screening, held, abusive };
}

/** A short text the visitor gave (a name, a form's answer, a file's name): cards and abusive words masked for good. */
export function maskedVisitorText(text: string, settings: Screening): string {
  const stored = settings.cards ? maskCards(text) : text;
  if (settings.abuse === "off") return stored;
  let masked = "";
  let from = 0;
  for (const [start, end] of finderFor(settings)(stored)) {
    masked += stored.slice(from, start) + MASK;
    from = end;
  }
  return masked + stored.slice(from);
}

/**
 * The pre-chat form's name and answers screened before they are stored: agents see them beside the
 * chat, and mail and webhooks carry them, with no span to mask them by and no message to hold, so
 * abusive words and card numbers in them are masked in the text itself, whatever the abuse mode.
 */
export function screenIntake(intake: Intake, settings: Screening): Intake {
  return {
    ...intake,
    name: intake.name === null ? null : maskedVisitorText(intake.name, settings),
    answers: intake.answers.map((answer) => ({ ...answer, value: maskedVisitorText(answer.value, settings) })),
  };
}
