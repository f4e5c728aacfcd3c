// A long page's index: a link to each of its sections, in their order on the page. The console routes
// by the hash, so a section's link is the page's route and the section (`#/block/countries`), and a
// click scrolls to the section and moves focus there rather than leaving the page.

import { useEffect, useRef } from "preact/hooks";

/** A section of the page: the id of its element (which takes focus: tabindex -1) and the link's text. */
export interface Section {
  id: string;
  title: string;
}

/** Scrolls to the section `id` and focuses it, as a fragment link would; false while it is not drawn. */
function reach(id: string): boolean {
  const target = document.getElementById(id);
  if (!target) return false;
  target.scrollIntoView({ block: "start" });
  target.focus({ preventScroll: true });
  return true;
}

export function SectionIndex({ route, sections }: { route: string; sections: readonly Section[] }) {
  // A link opened from elsewhere (#/block/protection) lands on its section once that section is drawn:
  // the policy's sections come after the page, with the settings.
  const wanted = useRef(sections.find((section) => location.hash === `${route}/${section.id}`)?.id);
  useEffect(() => {
    if (wanted.current !== undefined && reach(wanted.current)) wanted.current = undefined;
  });
  return (
    <nav class="section-index" aria-label="On this page">
      <ul>
        {sections.map(({ id, title }) => (
          <li key={id}>
            <a
              href={`${route}/${id}`}
              onClick={(event) => {
                if (!reach(id)) return;
                event.preventDefault();
                // The address names the section, to share or reload, without a route change.
                history.replaceState(history.state, "", `${route}/${id}`);
              }}
            >
              {title}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
