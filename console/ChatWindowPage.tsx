// Live Chat Window (owners): privacy (retention, what agents see, the notice), the widget's language,
// what it does while no agent is online, the form before the chat, its appearance (with a live
// preview), the file policy and the snippet to paste.

import { useState } from "preact/hooks";
import type { Api } from "./api";
import { APPEARANCE_FIELDS, AppearanceFields } from "./AppearanceFields";
import { AvatarField } from "./AvatarField";
import { AwayField } from "./AwayField";
import { FilePolicyEditor } from "./FilePolicyEditor";
import { LanguageField } from "./LanguageField";
import type { PolicyModel } from "./models/policy-model";
import { Notice } from "./Notice";
import { OfflineEmailField } from "./OfflineEmailField";
import { isPrechatError, PrechatEditor } from "./PrechatEditor";
import { PRIVACY_FIELDS, PrivacyEditor } from "./PrivacyEditor";
import { SaveBar } from "./SaveBar";
import { Snippet } from "./Snippet";
import type { PolicyDocument } from "./types";

type WindowSettings = NonNullable<PolicyDocument["window"]>;

/** The window section with one setting changed and the others kept; undefined leaves it out (its default). */
function windowWith<K extends keyof WindowSettings>(
  current: WindowSettings | undefined,
  key: K,
  value: WindowSettings[K],
): WindowSettings {
  const next = { ...current };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

export function ChatWindowPage({
  api,
  policy,
  account,
  origin,
}: {
  api: Api;
  policy: PolicyModel;
  account: string;
  origin: string;
}) {
  const [sizeValid, setSizeValid] = useState(true);
  const doc = policy.draft.value;
  const errors = policy.errors.value.fields;
  // Shown beside their inputs: the appearance's, the offline email's, and the form's (each question's or below it).
  const shownBeside = [
    ...APPEARANCE_FIELDS,
    ...PRIVACY_FIELDS,
    "window.offlineEmail",
    ...Object.keys(errors).filter(isPrechatError),
  ];
  return (
    <main class="page">
      <h1>Live Chat Window</h1>
      <Snippet origin={origin} account={account} />
      {policy.state.value === "loading" && <Notice kind="loading">Loading settings…</Notice>}
      {policy.state.value === "error" && <Notice kind="error">{policy.loadError.value}</Notice>}
      {doc && (
        <form
          class="policy-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (sizeValid) void policy.save();
          }}
        >
          <PrivacyEditor
            retention={doc.retention}
            agentsSee={doc.agentsSeeAddresses}
            notice={doc.window?.privacy}
            onRetention={(retention) => policy.edit("retention", retention)}
            onAgentsSee={(agentsSee) => policy.edit("agentsSeeAddresses", agentsSee)}
            onNotice={(notice) => policy.edit("window", windowWith(doc.window, "privacy", notice))}
            errors={errors}
          />
          <LanguageField
            value={doc.window?.language}
            onChange={(language) => policy.edit("window", windowWith(doc.window, "language", language))}
          />
          <AwayField
            value={doc.window?.away}
            onChange={(away) => policy.edit("window", windowWith(doc.window, "away", away))}
          />
          <OfflineEmailField
            value={doc.window?.offlineEmail}
            onChange={(offlineEmail) => policy.edit("window", windowWith(doc.window, "offlineEmail", offlineEmail))}
            error={errors["window.offlineEmail"]}
          />
          <PrechatEditor
            value={doc.window?.prechat}
            onChange={(prechat) => policy.edit("window", windowWith(doc.window, "prechat", prechat))}
            errors={errors}
          />
          <AppearanceFields
            value={doc.window}
            set={(key, value) => policy.edit("window", windowWith(doc.window, key, value))}
            errors={errors}
            account={account}
          />
          <AvatarField
            id="team-avatar"
            heading="Team avatar"
            hint="Visitors see it beside the team's name at the top of the chat, once you save."
            value={doc.window?.avatar ?? null}
            src={(fileId) => api.avatarUrl(account, fileId)}
            upload={api.uploadTeamAvatar}
            onChange={(avatar) => policy.edit("window", windowWith(doc.window, "avatar", avatar ?? undefined))}
            error={errors["window.avatar"]}
          />
          <FilePolicyEditor
            value={doc.files}
            onChange={(files) => policy.edit("files", files)}
            onSizeValid={setSizeValid}
          />
          <SaveBar policy={policy} blocked={!sizeValid} shownBeside={shownBeside} />
        </form>
      )}
    </main>
  );
}
