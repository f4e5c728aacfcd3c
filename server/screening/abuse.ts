// Finds abusive words in a visitor's message as spans of its text, for the console to mask or hold.
// Pure (no I/O); one finder per account's settings, built once and reused.
//
// Chosen by bench/screening.ts (npx tsx bench/screening.ts; 2 shared cores, figures of one run).
// Dictionary: Debian's wamerican, 104,334 words; "innocent" leaves out the 169 that are abuse
// themselves. Obfuscated: 64 (English, German, French, Spanish). Time: 2,000 chat messages, 20-300 chars.
//
//   candidate                           dictionary innocent    obfuscated  µs p50 / p99
//                                       raw       + allowed     caught
//   obscenity (English preset)          0.135 %   0.006 %       54.7 %      48.8 / 85.2
//   @2toad/profanity (12 languages)     0.144 %   0.063 %       57.8 %      954 / 4,029
//   obscenity + profanity (6 more)      0.239 %   0.034 %       82.8 %      72.7 / 172
//   Hatch (this module)                 -         0.009 %       93.8 %      14.0 / 39.8
//
// (Hatch's allowed defaults are built in, so it has no raw figure. All flagged, abuse words
// included: obscenity 0.304 %, profanity 0.311 %, both 0.446 %, Hatch 0.220 %. Hatch on 4,000
// chars: 250 µs; built for 200 owner words and 200 allowed: 3.9 ms.)
//
// No library meets the goals (≤ 0.1 % innocent after allowed defaults, ≥ 90 % caught, ≤ 50 µs p99):
// obscenity misses spaced letters and "*" for a letter and runs a regular expression per pattern
// (its cost); profanity's twelve lists in one expression take milliseconds and see no obfuscation.
// So Hatch uses their data, not an abuse list of its own: obscenity's English dataset and transformers
// (look-alike letters, leetspeak) as one expression grouped by first letter, plus letters spaced
// apart ("f.u.c.k") and "*" for a letter ("c*nt"); @2toad/profanity's German, Spanish, French,
// Italian, Portuguese and Russian lists and the owner's words as whole words (anywhere in scripts
// written without spaces); minus obscenity's whitelist, DEFAULT_ALLOWED (the bench's measured false
// positives) and the owner's allowed words, as whole words.

import { MAX_SCREENING_WORD_CHARS, MAX_SCREENING_WORDS } from "../../policy/limits";
import { profaneWords } from "@2toad/profanity";
import {
  englishDataset,
  resolveConfusablesTransformer,
  resolveLeetSpeakTransformer,
  SyntaxKind,
  type Node,
  type ParsedPattern,
} from "obscenity";

/** A found word: UTF-16 offsets into the message, end exclusive. */
export type Span = [start: number, end: number];

export interface AbuseSettings {
  /** The owner's own words and phrases to treat as abuse. */
  words: readonly string[];
  /** Words and phrases never to treat as abuse. */
  allowed: readonly string[];
}

/** A message as the matchers read it, with where each of its UTF-16 units came from. */
interface Normalized {
  text: string;
  /** The original offset of the code point each unit came from. */
  starts: number[];
  /** The original offset just after it. */
  ends: number[];
}

/** A run of single letters being read: how many, the spacers between them, those after the last. */
interface SpacedRun {
  singles: number;
  joined: number[];
  pending: number[];
  skipped: Set<number> | null;
}

/** Whole words and phrases, with every phrase's leading words, so a scan stops where none continues. */
interface WordList {
  words: Set<string>;
  prefixes: Set<string>;
}

/** Terms that protect what they cover: single words looked up, phrases searched for. */
interface Protection {
  words: Set<string>;
  /** The longest of `words`: a word found inside a longer run of letters cannot be one of them. */
  longest: number;
  phrases: readonly string[];
}

/** @2toad/profanity's languages matched beside obscenity's English: the Latin-script ones and Russian. */
const OTHER_LANGUAGES = ["de", "es", "fr", "it", "pt", "ru"];

/**
 * Words Hatch never flags, whatever the owner's `allowed`: every innocent word of Debian's English
 * dictionary (wamerican) and of the bench's innocent set that the finder flagged (bench/screening.ts),
 * obscenity's (names, places, "cockpit", "analgesia") and @2toad/profanity's foreign terms that are
 * everyday English ("bar", "bite", "gay"). Whole words, like the owner's, so inflections are listed.
 * Left flagged on purpose: the names Dick, Fanny and Hooker, and Negros (an island), whose spelling
 * is the abuse's.
 */
export const DEFAULT_ALLOWED: readonly string[] = `
  amigos analects analgesia analgesic analgesics annals assn assonance assort assorted assorting
  assortment assortments assorts asst assyria assyrian assyrians bah bar bastardize bastardized
  bastardizes bastardizing bestial bite bolas boo boobed boobing booby bop bordello bride
  chappaquiddick chinked chinking claire claudia cockpit cockpits cockscomb cockscombs cocksure
  cog com coriolanus cox cricks cuckold cuckolded cuckolding cuckolds culotte cumin cummerbund
  cummerbunds cummings cumquat cumquats dicker dickered dickering dickers dickerson dickey dickeys
  dickie dickies dickinson dickson dicky dink dyked eridanus excite fagged fagging fagin fagot
  fagots feckless fica flange flat fo'c's'les fukuoka fukuyama gay gland gondwanaland hog junior
  lancer les lust lustre mamas mas masochist mishit mist mona nazi niggard niggardliness niggardly
  niggards nut oceanus pate penistone peon pipe pipes pique pissaro pour puree pussycat pussycats
  pussyfoot pussyfooted pussyfooting pussyfoots rapeseed rapped regina retardant retardants
  retardation retarding sadist scat sega shank shi'ite shiitake shiitakes shitzu sim snatch sob
  sunk tee tetons thorax titter tittered tittering titters tittle tittles titular trafficked
  trafficker traffickers trafficking vandyke viagra wang wankel wei willies willy
`
  .trim()
  .split(/\s+/);

// obscenity's English preset: its look-alikes and leetspeak. Repeats are collapsed to two, not one as
// obscenity does ("butt" is not "but"), and its patterns take each letter once or more instead.
const CONFUSABLES = resolveConfusablesTransformer();
const LEETSPEAK = resolveLeetSpeakTransformer();
const MAX_REPEATS = 2;
const STAR = 0x2a;
/**
 * Stars kept in a row, each standing for one hidden letter: enough for the longest word hidden after
 * its first letter, and few, as a longer run would let the patterns try ever more ways to split it.
 */
const MAX_STARS = 8;

const MARK = /\p{M}/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
const ONE_WORD = /^[\p{L}\p{N}]+$/u;
/** Scripts written without spaces between words: an owner's word in them is found inside longer runs. */
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
/** What a found word extends over to its whole word: letters, and what obfuscates them. */
const IN_WORD = /[\p{L}\p{N}\p{M}$@*]/u;

/** Kinds of characters for finding letters spaced apart: letter-like, a spacer between them, other. */
const OTHER = 0;
const LETTER_LIKE = 1;
const SPACER = 2;
const ASCII_KINDS = Uint8Array.from({ length: 0x80 }, (_, code) => {
  const char = String.fromCharCode(code);
  if (/[A-Za-z0-9$@]/.test(char)) return LETTER_LIKE;
  return /[ .\-_,+~|/\\]/.test(char) ? SPACER : OTHER;
});

/** Non-ASCII answers remembered up to a bound: messages repeat their characters. */
const MEMO_MAX = 10_000;
const letterOrDigitMemo = new Map<number, boolean>();

function isLetterOrDigit(code: number): boolean {
  if (code < 0x80) return (code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a);
  let answer = letterOrDigitMemo.get(code);
  if (answer === undefined) {
    answer = LETTER_OR_DIGIT.test(String.fromCodePoint(code));
    if (letterOrDigitMemo.size < MEMO_MAX) letterOrDigitMemo.set(code, answer);
  }
  return answer;
}

/**
 * Characters that show nothing (zero-width spaces and joiners, the soft hyphen, the word joiner, the
 * byte-order mark): read as if absent, so "f\u200Buck" is "fuck".
 */
function isInvisible(code: number): boolean {
  return code === 0xad || code === 0x180e || (code >= 0x200b && code <= 0x200f) || code === 0x2060 || code === 0xfeff;
}

/** Spaces beyond ASCII's (no-break, en, em, thin, ideographic…): spacers between letters like " ". */
function isWideSpace(code: number): boolean {
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

function kindOf(code: number): number {
  if (code < 0x80) return ASCII_KINDS[code] ?? OTHER;
  if (code === 0xb7 || code === 0x2022 || isWideSpace(code)) return SPACER;
  return isLetterOrDigit(code) ? LETTER_LIKE : OTHER;
}

const codeSize = (code: number): number => (code > 0xffff ? 2 : 1);

/** Maps one code point the way obscenity's English preset does, then lower-cases beyond ASCII. */
function mapChar(code: number): string {
  const plain = CONFUSABLES.transform(code) ?? code;
  const leet = LEETSPEAK.transform(plain) ?? plain;
  if (leet >= 0x41 && leet <= 0x5a) return String.fromCharCode(leet + 0x20);
  return leet < 0x80 ? String.fromCharCode(leet) : String.fromCodePoint(leet).toLowerCase();
}

/** A non-ASCII character without its accents, then mapped ("É" → "e"); "ß" is "ss", not a look-alike "B". */
function foldAndMap(code: number): string {
  if (code === 0xdf) return "ss";
  let text = "";
  for (const char of String.fromCodePoint(code).normalize("NFD")) {
    if (!MARK.test(char)) text += mapChar(char.codePointAt(0) ?? 0);
  }
  return text;
}

// "_" is a letter to a regular expression's \b: read as a space, "_asshole" starts a word as " asshole"
// does. "/" stays itself (asciiMapped says why).
const ASCII_MAPPED = Uint8Array.from({ length: 0x80 }, (_, code) => {
  if (code === 0x5f) return 0x20;
  return code === 0x2f ? code : mapChar(code).charCodeAt(0);
});
const mappedMemo = new Map<number, string>();

/**
 * Leetspeak that is also punctuation ("!", "|", "(") stands for a letter only inside a word, a letter
 * on each side ("b!tch"): before a word it is punctuation, as in "(asshole)". "/" is never a letter:
 * it parts the words of links and of "and/or".
 */
function asciiMapped(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (code === 0x21 || code === 0x7c || code === 0x28) {
    const previous = text.codePointAt(at - 1);
    const next = text.codePointAt(at + 1);
    const between = previous !== undefined && next !== undefined && isLetterOrDigit(previous) && isLetterOrDigit(next);
    if (!between) return code;
  }
  return ASCII_MAPPED[code] ?? code;
}

function mappedNonAscii(code: number): string {
  let text = mappedMemo.get(code);
  if (text === undefined) {
    text = foldAndMap(code);
    if (mappedMemo.size < MEMO_MAX) mappedMemo.set(code, text);
  }
  return text;
}

/**
 * Offsets of the spacers inside runs of three or more single letters ("f.u.c.k", "f u c k"), which
 * the matchers skip; a scan by hand, as a regular expression with look-arounds cost more than the rest.
 */
function spacedSeparators(text: string): Set<number> | null {
  const run: SpacedRun = { singles: 0, joined: [], pending: [], skipped: null };
  for (let i = 0; i < text.length;) {
    const code = text.codePointAt(i) ?? 0;
    const kind = kindOf(code);
    if (isInvisible(code)) {
      i++;
      continue;
    }
    if (kind !== LETTER_LIKE) {
      if (kind === SPACER && run.singles > 0) run.pending.push(i);
      else if (run.singles > 0) closeRun(run);
      i += codeSize(code);
      continue;
    }
    let end = i + codeSize(code);
    for (let next = text.codePointAt(end); next !== undefined && kindOf(next) === LETTER_LIKE;) {
      end += codeSize(next);
      next = text.codePointAt(end);
    }
    if (end - i !== codeSize(code)) {
      if (run.singles > 0) closeRun(run);
    } else if (run.singles > 0 && run.pending.length <= 3) {
      run.joined.push(...run.pending);
      run.singles++;
    } else {
      closeRun(run);
      run.singles = 1;
    }
    run.pending.length = 0;
    i = end;
  }
  closeRun(run);
  return run.skipped;
}

function closeRun(run: SpacedRun): void {
  if (run.singles >= 3) {
    run.skipped ??= new Set();
    for (const at of run.joined) run.skipped.add(at);
  }
  run.singles = 0;
  run.joined.length = 0;
  run.pending.length = 0;
}

/** A normalized text as it is built: runs of a letter cut to two; with offsets, where each came from. */
class Builder {
  readonly codes: number[] = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly offsets: boolean;
  last = -1;
  repeats = 0;

  constructor(offsets: boolean) {
    this.offsets = offsets;
  }

  add(unit: number, start: number, end: number): void {
    if (unit === this.last && this.repeats-- <= 0) {
      // A repeat joins the letter before it, so "fuuuuck" is covered whole.
      if (this.offsets) this.ends[this.ends.length - 1] = end;
      return;
    }
    // "*" is a hidden letter each, so "f**k" keeps both.
    if (unit !== this.last) this.repeats = (unit === STAR ? MAX_STARS : MAX_REPEATS) - 1;
    this.last = unit;
    this.codes.push(unit);
    if (this.offsets) {
      this.starts.push(start);
      this.ends.push(end);
    }
  }

  build(): Normalized {
    let text = "";
    for (let at = 0; at < this.codes.length; at += 4096) {
      text += String.fromCharCode(...this.codes.slice(at, at + 4096));
    }
    return { text, starts: this.starts, ends: this.ends };
  }
}

/**
 * The message folded, look-alikes and leetspeak resolved, repeats cut, spaced letters joined; with
 * `offsets`, where each unit came from (needed only once something is found).
 */
function normalize(text: string, offsets: boolean): Normalized {
  const skipped = spacedSeparators(text);
  const builder = new Builder(offsets);
  for (let i = 0; i < text.length;) {
    const code = text.codePointAt(i) ?? 0;
    const end = i + codeSize(code);
    if ((skipped === null || !skipped.has(i)) && !isInvisible(code)) {
      if (code < 0x80) builder.add(asciiMapped(text, i), i, end);
      else {
        const units = mappedNonAscii(code);
        for (let unit = 0; unit < units.length; unit++) builder.add(units.charCodeAt(unit), i, end);
      }
    }
    i = end;
  }
  return builder.build();
}

/** The words of a normalized text (runs of letters and digits) with where each starts. */
function wordsOf(text: string): Array<[word: string, start: number]> {
  const words: Array<[string, number]> = [];
  let start = -1;
  for (let i = 0; i <= text.length;) {
    const code = text.codePointAt(i);
    const letter = code !== undefined && isLetterOrDigit(code);
    if (letter && start === -1) start = i;
    else if (!letter && start !== -1) {
      words.push([text.slice(start, i), start]);
      start = -1;
    }
    i += code === undefined ? 1 : codeSize(code);
  }
  return words;
}

/** Numbers the capture groups wildcards use, unique across the combined expression. */
let wildcards = 0;

/**
 * One obscenity pattern node as a regular expression: each letter once or twice (the text keeps
 * repeats of two), a letter after the first may be written "*", a wildcard is one character repeated
 * or one "*". Each star is exactly one letter, so a run of stars can be read only a few ways: with
 * "[c*]+" a star could belong to any of the letters and a long run took seconds to reject.
 */
function nodeSource(node: Node, first: boolean): string {
  if (node.kind === SyntaxKind.Wildcard) {
    wildcards++;
    return `(?:(?<w${wildcards}>[^*])\\k<w${wildcards}>?|\\*)`;
  }
  if (node.kind === SyntaxKind.Optional) return `(?:${nodeSource(node.childNode, first)})?`;
  return node.chars
    .map((code, i) => {
      const char = String.fromCodePoint(code).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      return first && i === 0 ? `${char}+` : `(?:${char}{1,2}|\\*)`;
    })
    .join("");
}

function patternSource({ nodes, requireWordBoundaryAtStart, requireWordBoundaryAtEnd }: ParsedPattern): string {
  const body = nodes.map((node, i) => nodeSource(node, i === 0)).join("");
  return `${requireWordBoundaryAtStart ? "\\b" : ""}${body}${requireWordBoundaryAtEnd ? "\\b" : ""}`;
}

const ENGLISH = englishDataset.build();

/** Letters a pattern spells, so the longer of two patterns starting alike is tried first. */
function patternLength({ nodes }: ParsedPattern): number {
  return nodes.reduce((sum, node) => sum + (node.kind === SyntaxKind.Literal ? node.chars.length : 1), 0);
}

/**
 * All of obscenity's English patterns as one expression, grouped by their first letter: one scan of
 * the message instead of obscenity's one per pattern, and few alternatives tried at each place.
 */
function combinedPattern(patterns: readonly ParsedPattern[]): RegExp {
  const groups = new Map<string, string[]>();
  const loose: string[] = [];
  for (const pattern of [...patterns].sort((a, b) => patternLength(b) - patternLength(a))) {
    const source = patternSource(pattern);
    const lead = /^(?:\\b)?[a-z]\+/.exec(source)?.[0];
    if (lead === undefined) loose.push(source);
    else groups.set(lead, [...(groups.get(lead) ?? []), source.slice(lead.length)]);
  }
  const grouped = Array.from(groups, ([lead, tails]) => `${lead}(?:${tails.join("|")})`);
  return new RegExp([...grouped, ...loose].join("|"), "gs");
}

const ENGLISH_PATTERN = combinedPattern(ENGLISH.blacklistedTerms.map((term) => term.pattern));
const WHITELIST = ENGLISH.whitelistedTerms ?? [];

/** A word list as the matchers compare it: each entry normalized, its words joined by one space. */
function wordKey(word: string): string {
  return wordsOf(normalize(word, false).text)
    .map(([part]) => part)
    .join(" ");
}

function wordList(entries: Iterable<string>): WordList {
  const list: WordList = { words: new Set(), prefixes: new Set() };
  for (const entry of entries) {
    const key = wordKey(entry);
    if (key === "") continue;
    list.words.add(key);
    const parts = key.split(" ");
    for (let n = 1; n <= parts.length; n++) list.prefixes.add(parts.slice(0, n).join(" "));
  }
  return list;
}

/** Entries of fewer than three letters are mostly noise in these lists ("a)", "$$", "no"). */
const OTHER_WORDS = wordList(
  OTHER_LANGUAGES.flatMap((language) => profaneWords.get(language) ?? []).filter(
    (entry) => wordKey(entry).replace(/ /g, "").length >= 3,
  ),
);

/** Spans of the normalized text where a listed word or phrase stands as whole words. */
function wholeWords(normalized: string, lists: readonly WordList[], found: Span[]): void {
  const words = wordsOf(normalized);
  for (let first = 0; first < words.length; first++) {
    for (const list of lists) {
      let key = "";
      for (let last = first; last < words.length; last++) {
        const [word, start] = words[last] ?? ["", 0];
        key = last === first ? word : `${key} ${word}`;
        if (!list.prefixes.has(key)) break;
        if (list.words.has(key)) found.push([words[first]?.[1] ?? 0, start + word.length]);
      }
    }
  }
}

function protection(allowed: readonly string[]): Protection {
  const terms = allowed.map((term) => term.trim().toLowerCase()).filter((term) => term !== "");
  const words = terms.filter((term) => ONE_WORD.test(term));
  return {
    words: new Set(words),
    longest: Math.max(0, ...words.map((word) => word.length)),
    phrases: terms.filter((term) => !ONE_WORD.test(term)),
  };
}

/**
 * Whether a span found is protected: inside an allowed word or phrase standing as whole words (so
 * allowing "Dick" does not allow "dickhead"), or inside one of obscenity's whitelisted terms anywhere
 * (its own rule).
 */
function isProtected(text: string, lower: string, [start, end]: Span, allowed: Protection): boolean {
  // Grown no further than the longest allowed word, so a run of thousands of letters costs no more.
  let from = start;
  let to = end;
  for (let before = charBefore(text, from); isLetterOrDigitAt(before) && to - from <= allowed.longest;) {
    from -= before.length;
    before = charBefore(text, from);
  }
  for (let after = charAt(text, to); isLetterOrDigitAt(after) && to - from <= allowed.longest;) {
    to += after.length;
    after = charAt(text, to);
  }
  if (allowed.words.has(lower.slice(from, to))) return true;
  return (
    allowed.phrases.some((phrase) => covers(lower, phrase, start, end, true)) ||
    WHITELIST.some((term) => covers(lower, term, start, end, false))
  );
}

/**
 * Whether an occurrence of `term` covers start…end; `whole`: only one standing as whole words. Only
 * where such an occurrence can start is searched, so the cost does not grow with the message.
 */
function covers(lower: string, term: string, start: number, end: number, whole: boolean): boolean {
  if (end - start > term.length) return false;
  const from = Math.max(0, end - term.length);
  const window = lower.slice(from, start + term.length);
  for (let found = window.indexOf(term); found !== -1; found = window.indexOf(term, found + 1)) {
    if (!whole) return true;
    const at = from + found;
    const after = at + term.length;
    if (!isLetterOrDigitAt(charBefore(lower, at)) && !isLetterOrDigitAt(charAt(lower, after))) return true;
  }
  return false;
}

function isLetterOrDigitAt(char: string): boolean {
  return char !== "" && isLetterOrDigit(char.codePointAt(0) ?? 0);
}

/**
 * A span grown to the whole word around it, so "a$$hole" is hidden whole, not "a$$"; not into
 * scripts without spaces, where the run of letters is a sentence, not a word.
 */
function wholeWord(text: string, [start, end]: Span): Span {
  for (let before = charBefore(text, start); inWord(before); before = charBefore(text, start)) {
    start -= before.length;
  }
  for (let after = charAt(text, end); inWord(after); after = charAt(text, end)) end += after.length;
  return [start, end];
}

/** Sorted spans grown to their words; one inside a word already grown is not walked again. */
function grownToWords(text: string, sorted: readonly Span[]): Span[] {
  const grown: Span[] = [];
  for (const span of sorted) {
    const last = grown.at(-1);
    if (last === undefined || span[1] > last[1]) grown.push(wholeWord(text, span));
  }
  return grown;
}

function inWord(char: string): boolean {
  return char !== "" && IN_WORD.test(char) && !UNSPACED.test(char);
}

/** The code point starting at `at`, whole ("" at the end). */
function charAt(text: string, at: number): string {
  const code = text.codePointAt(at);
  return code === undefined ? "" : String.fromCodePoint(code);
}

/** The code point ending at `at`, whole ("" at the start). */
function charBefore(text: string, at: number): string {
  if (at === 0) return "";
  const low = text.charCodeAt(at - 1);
  const pair = at >= 2 && low >= 0xdc00 && low <= 0xdfff && (text.charCodeAt(at - 2) & 0xfc00) === 0xd800;
  return text.slice(pair ? at - 2 : at - 1, at);
}

/**
 * The spans not inside another, sorted: at most one per start, so a message matched at every letter
 * by many words costs no more. What protects a span protects every span inside it, so none is lost.
 */
function outermost(spans: Span[]): Span[] {
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const kept: Span[] = [];
  for (const span of spans) {
    if (span[1] > (kept.at(-1)?.[1] ?? -1)) kept.push(span);
  }
  return kept;
}

/** Sorted, with overlapping and touching spans joined. */
function merge(spans: Span[]): Span[] {
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Span[] = [];
  for (const [start, end] of spans) {
    const last = merged.at(-1);
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** The owner's list as far as the limits go: the policy refuses more, and a phrase's cost grows with its words. */
function withinLimits(entries: readonly string[]): string[] {
  return entries.slice(0, MAX_SCREENING_WORDS).filter((entry) => entry.length <= MAX_SCREENING_WORD_CHARS);
}

/**
 * Builds a finder for one account's settings: the abusive words of a message as sorted, disjoint
 * spans of its original text (UTF-16, never inside a surrogate pair). Build it once per settings.
 */
export function abuseFinder(settings: AbuseSettings): (text: string) => Span[] {
  const words = withinLimits(settings.words);
  const lists = [OTHER_WORDS, wordList(words.filter((word) => !UNSPACED.test(word)))];
  const inRuns = new Set(
    words
      .filter((word) => UNSPACED.test(word))
      .map((word) => normalize(word, false).text)
      .filter((key) => key !== ""),
  );
  const allowed = protection([...DEFAULT_ALLOWED, ...withinLimits(settings.allowed)]);
  return (text) => {
    const { text: normalized } = normalize(text, false);
    const found: Span[] = [];
    ENGLISH_PATTERN.lastIndex = 0;
    for (let match = ENGLISH_PATTERN.exec(normalized); match !== null; match = ENGLISH_PATTERN.exec(normalized)) {
      found.push([match.index, match.index + match[0].length]);
    }
    wholeWords(normalized, lists, found);
    for (const key of inRuns) {
      for (let at = normalized.indexOf(key); at !== -1; at = normalized.indexOf(key, at + 1)) {
        found.push([at, at + key.length]);
      }
    }
    if (found.length === 0) return [];
    const { starts, ends } = normalize(text, true);
    // Lower-cased for the allowed words, unless that moves offsets (a few letters grow, "İ").
    const lowered = text.toLowerCase();
    const lower = lowered.length === text.length ? lowered : text;
    const present = { ...allowed, phrases: allowed.phrases.filter((phrase) => lower.includes(phrase)) };
    const abusive = outermost(found)
      .map(([start, end]): Span => [starts[start] ?? 0, ends[end - 1] ?? 0])
      .filter((span) => !isProtected(text, lower, span, present));
    return merge(grownToWords(text, merge(abusive)));
  };
}
