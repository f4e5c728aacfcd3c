// Card numbers in what visitors write, masked to their last four before the message is stored, so
// no agent, transcript, mail or webhook ever holds one: a visitor who pastes their card into a chat
// is protected from the chat as well (LivePerson and Zendesk do the same). Cards are found as people
// type and paste them: in any script's digits (a Japanese keyboard's full-width ones, Arabic-Indic),
// grouped by spaces of any kind or hyphens, with invisible characters a web page's copy may carry.

/** What a masked card number reads as: "•••• 4242". */
const MASKED_PREFIX = "•••• ";

/** Characters that show nothing: soft hyphen, zero-width space and joiners, word joiner, byte-order mark. */
const INVISIBLE = "[\\u00ad\\u200b-\\u200d\\u2060\\ufeff]";
/**
 * One separator between groups of digits: a space of any width, or a hyphen. Not a tab or an en dash,
 * which stand between two numbers (cells pasted from a sheet, a range "10023456–10098765").
 */
const SEPARATOR = "[\\p{Zs}\\-\\u2010\\u2011]";

/** Decimal digits with at most one separator between them: how people write a card number. */
const DIGIT_RUN = new RegExp(`\\p{Nd}(?:(?:${INVISIBLE}*${SEPARATOR})?${INVISIBLE}*\\p{Nd})*`, "gu");
const DIGIT = /\p{Nd}/u;
const DIGIT_GROUP = new RegExp(`\\p{Nd}(?:${INVISIBLE}*\\p{Nd})*`, "gu");

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;

/** A run's group of digits: where it starts and ends in the run, and its digits' values. */
interface Group {
  at: number;
  end: number;
  values: number[];
}

/** Digit values by code point; bounded, as Unicode has a few hundred decimal digits. */
const digitValues = new Map<number, number>();

/**
 * A decimal digit's value in any script. Unicode encodes each script's digits 0 to 9 in a row, some
 * sets right after another (mathematical digits, 5 sets), so the value counts from where the row starts.
 */
function digitValue(code: number): number {
  if (code <= 0x39) return code - 0x30;
  let value = digitValues.get(code);
  if (value === undefined) {
    let start = code;
    while (DIGIT.test(String.fromCodePoint(start - 1))) start--;
    value = (code - start) % 10;
    digitValues.set(code, value);
  }
  return value;
}

/** The Luhn checksum every payment card number passes (ISO/IEC 7812). */
function passesLuhn(values: readonly number[]): boolean {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    let digit = values[values.length - 1 - i]!;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** A run's groups of digits, split at its separators. */
function groupsOf(run: string): Group[] {
  return Array.from(run.matchAll(DIGIT_GROUP), (match) => {
    const values: number[] = [];
    for (const char of match[0]) if (DIGIT.test(char)) values.push(digitValue(char.codePointAt(0)!));
    return { at: match.index, end: match.index + match[0].length, values };
  });
}

/**
 * Where in one run of digits card numbers lie, as [start, end) ranges of the run: every stretch of
 * whole groups of 13 to 19 digits that passes Luhn, joined where they overlap. Joined, a card is
 * masked whole even when a phone number written just before it makes an earlier stretch pass too
 * ("4242 4242 4242 4242 123" is a card and its security code). A stretch never spans more than 19
 * digits, so this is linear in the run.
 */
function cardsIn(run: string): [number, number][] {
  const groups = groupsOf(run);
  const ranges: [number, number][] = [];
  for (let first = 0; first < groups.length; first++) {
    const values: number[] = [];
    for (let last = first; last < groups.length; last++) {
      values.push(...groups[last]!.values);
      if (values.length > MAX_DIGITS) break;
      if (values.length < MIN_DIGITS || !passesLuhn(values)) continue;
      const range: [number, number] = [groups[first]!.at, groups[last]!.end];
      const previous = ranges.at(-1);
      if (previous !== undefined && range[0] < previous[1]) previous[1] = Math.max(previous[1], range[1]);
      else ranges.push(range);
    }
  }
  return ranges;
}

/** A card number as masked: its last four digits, as the visitor wrote them. */
function masked(card: string): string {
  const digits = Array.from(card).filter((char) => DIGIT.test(char));
  return MASKED_PREFIX + digits.slice(-4).join("");
}

/** The text with every card number in it masked to its last four digits; the same text when there is none. */
export function maskCards(text: string): string {
  return text.replace(DIGIT_RUN, (run) => {
    let result = "";
    let from = 0;
    for (const [start, end] of cardsIn(run)) {
      result += run.slice(from, start) + masked(run.slice(start, end));
      from = end;
    }
    return result + run.slice(from);
  });
}
