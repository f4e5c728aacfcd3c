// The unread count in the tab's title, "(2) Shop", as the console counts its requests: seen from
// another tab. The page's own title is put back when the count is read, unless the page changed it meanwhile.

/**
 * Writes `count` before the document's title, and the title alone for 0.
 * @example const title = createTabTitle(document); title(2); document.title // "(2) Shop"
 */
export function createTabTitle(doc: Document): (count: number) => void {
  // What the title was before the count, and the title written with it (null while none is).
  let own = "";
  let written: string | null = null;
  return (count) => {
    // A single-page app moved on and retitled itself: its title is the one to count on and to keep.
    if (doc.title !== written) own = doc.title;
    if (count > 0) doc.title = written = `(${count}) ${own}`;
    else if (written !== null) {
      doc.title = own;
      written = null;
    }
  };
}
