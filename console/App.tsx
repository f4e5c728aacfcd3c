// The console app: sign-in or first run, then the pages the user's role may open, over one live feed.

import { useCallback, useEffect, useLayoutEffect, useMemo } from "preact/hooks";
import type { Api } from "./api";
import { AuditPage } from "./AuditPage";
import { BanNotices } from "./BanNotices";
import { BlockVisitorsPage } from "./BlockVisitorsPage";
import { ChatsPage } from "./ChatsPage";
import { ChatWindowPage } from "./ChatWindowPage";
import type { Chime } from "./chime";
import { connectEvents, createEventHub, type EventSourceFactory } from "./events";
import { watchIdle } from "./idle";
import { IntegrationsPage } from "./IntegrationsPage";
import { createBanNoticesModel } from "./models/ban-notices-model";
import { createChatsModel } from "./models/chats-model";
import { createPolicyModel } from "./models/policy-model";
import { createPresenceModel, type PresenceStorage } from "./models/presence-model";
import { createSessionModel } from "./models/session-model";
import { Nav } from "./Nav";
import type { Notifier } from "./notifier";
import { Notice } from "./Notice";
import { OptionsPage } from "./OptionsPage";
import type { Route } from "./router";
import { ResetPasswordPage } from "./ResetPasswordPage";
import { SetupPage } from "./SetupPage";
import { WelcomePage } from "./WelcomePage";
import { SignInPage } from "./SignInPage";
import { EnrolPage } from "./EnrolPage";
import type { Signal } from "@preact/signals";

interface Props {
  api: Api;
  route: Signal<Route>;
  go(route: Route): void;
  openEvents: EventSourceFactory | null;
  notifier: Notifier;
  /** Sounds for new chats and visitor messages while the tab is hidden, if the user wants them. */
  chime: Chime;
  origin: string;
  /** Where this browser keeps the idle time and whether an away was automatic (localStorage). */
  storage: PresenceStorage;
}

/** A reconnected feed first replays what it missed meanwhile: no news to chime for. */
const REPLAY_QUIET_MS = 3000;

/** What an agent sees on a page only owners may open. */
function OwnersOnly({ children }: { children: string }) {
  return (
    <main class="page">
      <Notice kind="error">{children}</Notice>
    </main>
  );
}

export function App({ api, route, go, openEvents, notifier, chime, origin, storage }: Props) {
  const session = useMemo(() => createSessionModel(api), [api]);
  const policy = useMemo(() => createPolicyModel(api), [api]);
  const presence = useMemo(() => createPresenceModel(api, storage), [api, storage]);
  const ring = useCallback(() => {
    if (session.me.value?.options.sound) chime.ring();
  }, [session, chime]);
  const chats = useMemo(
    () =>
      createChatsModel(api, (c) => {
        notifier.notify("New chat request", `${c.visitorIp} on ${c.page}`);
        ring();
      }),
    [api, notifier, ring],
  );
  const hub = useMemo(createEventHub, []);
  const bans = useMemo(createBanNoticesModel, []);

  useEffect(() => void session.load(), [session]);
  useEffect(() => api.onSignedOut(session.expired), [api, session]);
  // The owners required two-factor sign-in meanwhile: /me says so, and the console leads to enrolment.
  useEffect(() => api.onEnrolmentRequired(() => void session.load()), [api, session]);
  const signedInAs = session.me.value;
  /** The account requires two-factor sign-in this user has not set up: enrolment is all they may do. */
  const mustEnrol = signedInAs !== null && signedInAs.twoFactor.required && !signedInAs.twoFactor.enabled;
  const signedIn = session.state.value === "signed-in" && !mustEnrol;
  useEffect(() => {
    if (!signedIn) return;
    void chats.load();
    void policy.load();
    void presence.load();
    const unlisten = hub.listen((event) => {
      chats.handleEvent(event);
      bans.handleEvent(event);
      if (event.type === "policy") void policy.refresh();
      const me = session.me.value;
      if (me && chats.isVisitorMessageFor(me.user.id, event)) ring();
    });
    const check = () => void api.me().catch(() => undefined);
    const onOpen = () => {
      chime.hush(REPLAY_QUIET_MS);
      // Read again once the feed is open: until then the server may count this user offline.
      void presence.load();
    };
    const close = openEvents
      ? connectEvents(api.eventsUrl(), hub.emit, openEvents, { onTrouble: check, onOpen })
      : () => {};
    return () => {
      unlisten();
      close();
    };
  }, [signedIn, api, session, chats, bans, policy, presence, hub, openEvents, chime, ring]);
  const idleMinutes = presence.idleMinutes.value;
  useEffect(() => {
    if (!signedIn) return;
    const stop = watchIdle(
      document,
      storage,
      idleMinutes * 60_000,
      () => void presence.idle(),
      () => void presence.active(),
    );
    // Another tab may have changed the status meanwhile.
    const reread = () => {
      if (document.visibilityState === "visible") void presence.load();
    };
    document.addEventListener("visibilitychange", reread);
    return () => {
      stop();
      document.removeEventListener("visibilitychange", reread);
    };
  }, [signedIn, presence, storage, idleMinutes]);
  const pending = chats.pendingCount.value;
  useEffect(() => notifier.setCount(pending), [notifier, pending]);
  // The user's scheme on <html data-scheme>, which console.css reads; none ("auto", or nobody signed
  // in yet) leaves it to the device's prefers-color-scheme. Before painting: no frame in the wrong one.
  const theme = session.me.value?.options.theme;
  useLayoutEffect(() => {
    const root = document.documentElement;
    if (theme === "light" || theme === "dark") root.dataset.scheme = theme;
    else root.removeAttribute("data-scheme");
  }, [theme]);

  const current = route.value;
  if (current.page === "setup" && !signedIn)
    return <SetupPage session={session} token={current.token} onDone={() => go({ page: "welcome" })} />;
  // Whoever holds the link, signed in or not: setting the password ends every session of its user.
  if (current.page === "reset")
    return (
      <ResetPasswordPage
        api={api}
        token={current.token}
        onDone={() => {
          go({ page: "chats", id: null });
          void session.load();
        }}
      />
    );
  if (session.state.value === "loading") return <Notice kind="loading">Loading Hatch…</Notice>;
  if (session.state.value === "error") return <Notice kind="error">{session.loadError.value}</Notice>;
  const me = session.me.value;
  if (me && mustEnrol) return <EnrolPage api={api} session={session} account={me.account} />;
  if (!signedIn || !me) return <SignInPage session={session} />;

  const owner = me.user.role === "owner";
  // Owners know every co-worker's email from the team's presence; an agent knows their own.
  const team = presence.team.value;
  const emailOf = (userId: string) => (userId === me.user.id ? me.user.email : (team.get(userId)?.email ?? null));
  let page;
  switch (current.page) {
    case "block":
      page = <BlockVisitorsPage api={api} policy={policy} isOwner={owner} listen={hub.listen} />;
      break;
    case "window":
      page = owner ? (
        <ChatWindowPage api={api} policy={policy} account={me.account} origin={origin} />
      ) : (
        <OwnersOnly>Only an owner of the account can change the Live Chat Window.</OwnersOnly>
      );
      break;
    case "audit":
      page = owner ? (
        <AuditPage api={api} />
      ) : (
        <OwnersOnly>Only an owner of the account can see the audit log.</OwnersOnly>
      );
      break;
    case "integrations":
      page = owner ? (
        <IntegrationsPage api={api} />
      ) : (
        <OwnersOnly>Only an owner of the account can change the integrations.</OwnersOnly>
      );
      break;
    case "welcome":
      page = <WelcomePage account={me.account} origin={origin} />;
      break;
    case "options":
      page = <OptionsPage api={api} session={session} presence={presence} />;
      break;
    default:
      page = (
        <ChatsPage
          api={api}
          chats={chats}
          openId={current.page === "chats" ? current.id : null}
          notifier={notifier}
          listen={hub.listen}
          emailOf={emailOf}
          mailsAnswers={session.me.value?.mailConfigured ?? false}
          isOwner={owner}
          closeChat={() => go({ page: "chats", id: null })}
        />
      );
  }
  return (
    <>
      <Nav me={me} route={current} pending={pending} presence={presence} onSignOut={() => void session.signOut()} />
      <BanNotices model={bans} />
      {page}
    </>
  );
}
