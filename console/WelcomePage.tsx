// The first run's next step: the owner has an account and an empty console; what makes it useful is
// the chat on their site, so that comes first, then the team and the rules.

import { Snippet } from "./Snippet";

export function WelcomePage({ account, origin }: { account: string; origin: string }) {
  return (
    <main class="page">
      <h1>Put the chat on your site</h1>
      <p>Your account is ready. Visitors see the chat once this one line is on your pages.</p>
      <Snippet origin={origin} account={account} />
      <section aria-labelledby="next-heading">
        <h2 id="next-heading">Then</h2>
        <ul>
          <li>
            <a href="#/options">Add your agents</a> under Options → Team.
          </li>
          <li>
            <a href="#/block">Choose who may see the chat</a>: addresses, networks, countries and sites.
          </li>
          <li>
            <a href="#/window">Make the chat window yours</a>: its colour, greeting and position.
          </li>
          <li>
            <a href="#/chats">Wait for the first visitor</a> in Chats.
          </li>
        </ul>
      </section>
    </main>
  );
}
