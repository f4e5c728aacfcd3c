// Card numbers in what visitors write, masked to their last four before the message is stored, so
// no agent, transcript, mail or webhook ever holds one: a visitor who pastes their card into a chat
// is protected from the chat as well (LivePerson and Zendesk do the same).

/** What a masked card number reads as: "•••• 4242". */
const MASKED_PREFIX = "•••• ";

/** Digits with at most one space or dash between them: how people write a card number. */
const DIGIT_RUN = /\d(?:[ -]?\d)*/g;

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;

/** The Luhn checksum every payment card number passes (ISO/IEC 7812). */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** A run's groups of digits (split at its separators) with where each starts in the run. */
function groupsOf(run: string): { at: number; digits: string }[] {
  const groups: { at: number; digits: string }[] = [];
  for (const match of run.matchAll(/\d+/g)) groups.push({ at: match.index, digits: match[0] });
  return groups;
}

/**
 * Where in one run of digits a card number lies, as [start, end) in the run: the whole run when it is
 * one, else the longest number of whole groups that is one, earliest first ("4242 4242 4242 4242 123"
 * is a card and its security code). A window never spans more than 19 digits, so this is linear in the run.
 */
function cardIn(run: string): [number, number] | null {
  const groups = groupsOf(run);
  for (let first = 0; first < groups.length; first++) {
    let best: [number, number] | null = null;
    let digits = "";
    for (let last = first; last < groups.length; last++) {
      digits += groups[last]!.digits;
      if (digits.length > MAX_DIGITS) break;
      if (digits.length >= MIN_DIGITS && passesLuhn(digits))
        best = [groups[first]!.at, groups[last]!.at + groups[last]!.digits.length];
    }
    if (best) return best;
  }
  return null;
}

/** The text with every card number in it masked to its last four digits; the same text when there is none. */
export function maskCards(text: string): string {
  return text.replace(DIGIT_RUN, (run) => {
    const card = cardIn(run);
    if (card === null) return run;
    const [start, end] = card;
    const digits = run.slice(start, end).replace(/\D/g, "");
    return run.slice(0, start) + MASKED_PREFIX + digits.slice(-4) + maskCards(run.slice(end));
  });
}
