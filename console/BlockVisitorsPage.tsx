// Block Visitors: rules of every kind, countries, network switches, websites, automatic protection, and
// testing a visitor.
// Agents read, owners change.

import { useEffect, useMemo } from "preact/hooks";
import type { Api } from "./api";
import { CountriesEditor } from "./CountriesEditor";
import { DataCredits } from "./DataCredits";
import type { Listen } from "./events";
import { createNetworksModel } from "./models/networks-model";
import type { PolicyModel } from "./models/policy-model";
import { createRuleAddModel } from "./models/rule-add-model";
import { createRulesModel } from "./models/rules-model";
import { createVisitorTestModel } from "./models/visitor-test-model";
import { NetworkSwitches } from "./NetworkSwitches";
import { Notice } from "./Notice";
import { PatternList, patternErrors } from "./PatternList";
import { PROTECTION_FIELDS, ProtectionEditor } from "./ProtectionEditor";
import { SCREENING_FIELDS, ScreeningEditor } from "./ScreeningEditor";
import { RulesAdd } from "./RulesAdd";
import { RulesCsv } from "./RulesCsv";
import { RulesFilters } from "./RulesFilters";
import { RulesTable } from "./RulesTable";
import { hrefOf } from "./router";
import { SaveBar } from "./SaveBar";
import { SectionIndex, type Section } from "./SectionIndex";
import { VisitorTest } from "./VisitorTest";

/** The page's sections in their order on it, as its index links them. */
const SECTIONS: readonly Section[] = [
  { id: "rules", title: "Rules" },
  { id: "countries", title: "Countries" },
  { id: "networks", title: "Networks" },
  { id: "websites", title: "Websites" },
  { id: "protection", title: "Automatic protection" },
  { id: "screening", title: "Screening" },
];
/** The owners' last section: agents do not test visitors. */
const OWNERS_SECTIONS: readonly Section[] = [...SECTIONS, { id: "visitor-test", title: "Test a visitor" }];

interface Props {
  api: Api;
  policy: PolicyModel;
  isOwner: boolean;
  /** Registers a listener on the event feed; returns the unsubscribe. */
  listen: Listen;
}

export function BlockVisitorsPage({ api, policy, isOwner, listen }: Props) {
  const rules = useMemo(() => createRulesModel(api), [api]);
  const adding = useMemo(() => createRuleAddModel(api, () => void rules.load()), [api, rules]);
  const networks = useMemo(() => createNetworksModel(api), [api]);
  const visitorTest = useMemo(() => createVisitorTestModel(api), [api]);
  useEffect(() => void networks.load(), [networks]);
  // A removal waiting out its undo window is sent as the page closes, or as the user goes to another page.
  useEffect(() => {
    const flush = () => rules.flush();
    addEventListener("pagehide", flush);
    return () => {
      removeEventListener("pagehide", flush);
      flush();
    };
  }, [rules]);
  useEffect(() => {
    void rules.load();
    // A rule added from a chat, or by another owner, appears without a reload.
    return listen((event) => {
      if (event.type === "policy" && (event.data as { what?: string }).what === "rules") void rules.load();
    });
  }, [rules, listen]);

  const doc = policy.draft.value;
  const badPatterns = doc
    ? patternErrors(doc.websites.allowed).length + patternErrors(doc.websites.blocked).length > 0
    : false;
  return (
    <main class="page">
      <h1>Block Visitors</h1>
      <SectionIndex route={hrefOf({ page: "block" })} sections={isOwner ? OWNERS_SECTIONS : SECTIONS} />
      {!isOwner && (
        <Notice kind="empty">Only an owner can change these settings. You can block a visitor from their chat.</Notice>
      )}
      <section id="rules" tabIndex={-1} aria-labelledby="rules-heading">
        <h2 id="rules-heading">Rules</h2>
        <RulesFilters model={rules} />
        <RulesTable model={rules} canEdit={isOwner} />
        {isOwner && <RulesCsv model={adding} csvUrl={api.rulesCsvUrl()} />}
        {isOwner && <RulesAdd model={adding} />}
      </section>
      {policy.state.value === "loading" && <Notice kind="loading">Loading settings…</Notice>}
      {policy.state.value === "error" && <Notice kind="error">{policy.loadError.value}</Notice>}
      {doc && (
        <form
          class="policy-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (!badPatterns) void policy.save();
          }}
        >
          <CountriesEditor
            value={doc.countries}
            onChange={(next) => policy.edit("countries", next)}
            readOnly={!isOwner}
          />
          <NetworkSwitches
            value={doc.networks}
            onChange={(next) => policy.edit("networks", next)}
            readOnly={!isOwner}
            status={networks}
          />
          <fieldset id="websites" tabIndex={-1} disabled={!isOwner}>
            <legend>Websites</legend>
            <PatternList
              id="allowed"
              label="Allowed websites"
              hint="Empty: every site may show the chat."
              lines={doc.websites.allowed}
              onChange={(allowed) => policy.edit("websites", { ...doc.websites, allowed })}
              readOnly={!isOwner}
            />
            <PatternList
              id="blocked"
              label="Blocked websites"
              hint="Hidden even where also allowed, e.g. a copy of your site."
              lines={doc.websites.blocked}
              onChange={(blocked) => policy.edit("websites", { ...doc.websites, blocked })}
              readOnly={!isOwner}
            />
            <p class="hint paths-advisory">
              The browser vouches only for a page's site (its origin). A path pattern such as example.com/support is
              honoured for honest pages, but a visitor who sends another path gets past it: use sites, not paths, to
              keep someone out.
            </p>
          </fieldset>
          <ProtectionEditor
            // Remade whenever a document comes from the server, so no typed text outlives it.
            key={policy.etag.value}
            value={doc.protection}
            onChange={(next) => policy.edit("protection", next)}
            readOnly={!isOwner}
            errors={policy.errors.value.fields}
          />
          <ScreeningEditor
            key={`screening-${policy.etag.value}`}
            value={doc.screening}
            onChange={(next) => policy.edit("screening", next)}
            readOnly={!isOwner}
            errors={policy.errors.value.fields}
          />
          {isOwner && (
            <SaveBar policy={policy} blocked={badPatterns} shownBeside={[...PROTECTION_FIELDS, ...SCREENING_FIELDS]} />
          )}
        </form>
      )}
      {isOwner && <VisitorTest model={visitorTest} />}
      <DataCredits />
    </main>
  );
}
