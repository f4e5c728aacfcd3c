// The rules of every kind as the user narrows them (kind, author, active or expired, a search), and
// removal that can be undone for a few seconds.

import { signal } from "@preact/signals";
import type { Api } from "../api";
import type { ListedRule, RuleQuery } from "../types";
import { formErrorsOf, NO_ERRORS, type FormErrors } from "./form-errors";
import { createLoadState } from "./load-state";

/** A search is sent once typing pauses this long, not at every key. */
const SEARCH_PAUSE_MS = 250;
/** How long a removed rule can be brought back: it leaves the list at once, and the server after this. */
export const UNDO_MS = 6_000;

/**
 * A removal still in its undo window. The DELETE waits for the window to pass rather than the rule
 * being added again on Undo: adding it again would give it a new id, time and author (the owner, not
 * the agent or the chat it came from), and a visitor rule cannot be pasted at all. What waiting
 * costs, a page closed within the window, flush() sends as the page goes.
 */
interface Removal {
  rule: ListedRule;
  timer: ReturnType<typeof setTimeout>;
  /** Which load listed the rule: Undo puts it back in place only while the list is still that one. */
  listing: number;
}

/** `rule` back among `list`, in the list's order (newest first, then by id). */
function restored(list: readonly ListedRule[], rule: ListedRule): ListedRule[] {
  const after = (other: ListedRule) =>
    other.createdAt < rule.createdAt || (other.createdAt === rule.createdAt && other.id < rule.id);
  const at = list.findIndex(after);
  return at === -1 ? [...list, rule] : [...list.slice(0, at), rule, ...list.slice(at)];
}

export function createRulesModel(api: Api) {
  const rules = signal<ListedRule[]>([]);
  /** How many rules match, of which the server lists the newest 1,000. */
  const total = signal(0);
  const { state, loadError, track } = createLoadState();
  const query = signal<RuleQuery>({});
  const errors = signal<FormErrors>(NO_ERRORS);
  // Answers can arrive out of order: only the last load's rules are shown.
  let latest = 0;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const removals = new Map<string, Removal>();
  /** The rules removed and still undoable, oldest first: what the page offers to undo. */
  const removing = signal<ListedRule[]>([]);

  const load = () => {
    clearTimeout(pending);
    const mine = ++latest;
    return track(async () => {
      const found = await api.rules(query.value);
      if (mine !== latest) return;
      // The server still holds rules whose removal waits out its undo window: they stay off the list.
      const shown = found.rules.filter((rule) => !removals.has(rule.id));
      rules.value = shown;
      total.value = found.total - (found.rules.length - shown.length);
    });
  };

  /** Ends `id`'s undo window; the removal, if it was still waiting. */
  const settle = (id: string): Removal | undefined => {
    const removal = removals.get(id);
    if (!removal) return undefined;
    clearTimeout(removal.timer);
    removals.delete(id);
    removing.value = removing.value.filter((rule) => rule.id !== id);
    return removal;
  };

  /** Sends a removal whose window passed (or that the page's close cut short, with keepalive). */
  const send = async (id: string, keepalive = false) => {
    if (!settle(id)) return;
    try {
      await api.removeRule(id, keepalive);
    } catch (error) {
      errors.value = formErrorsOf(error);
      // The list as the server has it: a refused removal's rule is back, one removed already stays gone.
      void load();
    }
  };

  return {
    rules,
    total,
    state,
    loadError,
    query,
    errors,
    load,
    /** Narrows the list and loads it again; a search waits for a pause in typing. */
    filter(change: RuleQuery) {
      query.value = { ...query.value, ...change };
      clearTimeout(pending);
      if ("q" in change) pending = setTimeout(() => void load(), SEARCH_PAUSE_MS);
      else void load();
    },
    removing,
    /** Takes a rule off the list at once; the server removes it once UNDO_MS pass without undo(). */
    remove(rule: ListedRule) {
      errors.value = NO_ERRORS;
      if (removals.has(rule.id)) return;
      removals.set(rule.id, { rule, listing: latest, timer: setTimeout(() => void send(rule.id), UNDO_MS) });
      removing.value = [...removing.value, rule];
      rules.value = rules.value.filter((other) => other.id !== rule.id);
      total.value -= 1;
    },
    /** Keeps a rule removed within its undo window: nothing is sent, and it is listed again. */
    undo(id: string) {
      const removal = settle(id);
      if (!removal) return;
      // Listed since under another filter: the server's answer says whether it belongs.
      if (removal.listing !== latest) return void load();
      rules.value = restored(rules.value, removal.rule);
      total.value += 1;
    },
    /** Sends every removal still in its window now, surviving the page's close: for `pagehide` and leaving the page. */
    flush() {
      // send() drops each from the map as it goes, which a Map's iteration allows.
      for (const id of removals.keys()) void send(id, true);
    },
  };
}

export type RulesModel = ReturnType<typeof createRulesModel>;
