// Options: each user's name for visitors, password, two-factor sign-in, sessions, idle time, image-preview default, sound, mail and
// appearance, and for owners the team and a visitor's data by their id.

import type { Api } from "./api";
import { MyAvatarField } from "./AvatarField";
import { DisplayNameForm } from "./DisplayNameForm";
import { IdleField } from "./IdleField";
import type { PresenceModel } from "./models/presence-model";
import type { SessionModel } from "./models/session-model";
import { OptionSwitch } from "./OptionSwitch";
import { PasswordForm } from "./PasswordForm";
import { RepliesSection } from "./RepliesSection";
import { TeamSection } from "./TeamSection";
import { ThemeField } from "./ThemeField";
import { TwoFactorSection } from "./TwoFactorSection";
import { VisitorLookup } from "./VisitorLookup";
import { SessionsSection } from "./SessionsSection";
import { UnansweredField } from "./UnansweredField";

export function OptionsPage({ api, session, presence }: { api: Api; session: SessionModel; presence: PresenceModel }) {
  const me = session.me.value;
  if (!me) return null;
  return (
    <main class="page">
      <h1>Options</h1>
      <DisplayNameForm session={session} />
      <MyAvatarField api={api} account={me.account} />
      <PasswordForm api={api} />
      <TwoFactorSection api={api} session={session} />
      <SessionsSection api={api} />
      {session.isOwner.value && (
        <OptionSwitch
          id="require-two-factor"
          heading="Two-factor sign-in for the team"
          label="Require two-factor sign-in of everyone on the team"
          hint={
            me.twoFactor.enabled
              ? "A member without it is led to set it up, and can do nothing else in the console until they have."
              : "Turn on two-factor sign-in for yourself first."
          }
          checked={me.twoFactor.required}
          disabled={!me.twoFactor.enabled && !me.twoFactor.required}
          save={async (required) => {
            await api.requireTwoFactor(required);
            session.setTwoFactor({ ...me.twoFactor, required });
          }}
        />
      )}
      <IdleField presence={presence} />
      <OptionSwitch
        id="previews"
        heading="Image previews"
        label="Show images visitors send, by default"
        hint="Off: you see the file's name, size and kind, and nothing of it is loaded until you show it in that chat."
        checked={me.options.imagePreviews}
        save={(imagePreviews) => session.setSwitches({ imagePreviews })}
      />
      <OptionSwitch
        id="sound"
        heading="Sound"
        label="Play a sound for new chats and messages while this tab is in the background"
        hint="For a new chat request, or a visitor's message in one of your chats. Browsers let a page play sound only once you have clicked or typed in it."
        checked={me.options.sound}
        save={(sound) => session.setSwitches({ sound })}
      />
      <OptionSwitch
        id="mail"
        heading="Mail"
        label="Mail me each offline message"
        hint={
          me.mailConfigured
            ? "A mail for each message a visitor leaves while nobody is online, with a link to the chat."
            : "This server sends no mail: the operator sets SMTP_URL to turn it on."
        }
        checked={me.options.mail.offlineMessages}
        disabled={!me.mailConfigured}
        save={(offlineMessages) => session.setSwitches({ mail: { ...me.options.mail, offlineMessages } })}
      />
      <UnansweredField
        value={me.options.mail.unansweredMinutes}
        disabled={!me.mailConfigured}
        save={(unansweredMinutes) => session.setSwitches({ mail: { ...me.options.mail, unansweredMinutes } })}
      />
      {session.isOwner.value && (
        <OptionSwitch
          id="mail-digest"
          heading="Daily digest"
          label="Mail me a daily digest of automatic bans"
          hint="Each morning at 07:00 UTC: who automatic protection banned in the last 24 hours."
          checked={me.options.mail.digest}
          disabled={!me.mailConfigured}
          save={(digest) => session.setSwitches({ mail: { ...me.options.mail, digest } })}
        />
      )}
      <ThemeField value={me.options.theme} save={(theme) => session.setSwitches({ theme })} />
      {session.isOwner.value && <RepliesSection api={api} />}
      {session.isOwner.value && <TeamSection api={api} me={me.user.id} />}
      {session.isOwner.value && <VisitorLookup api={api} />}
    </main>
  );
}
