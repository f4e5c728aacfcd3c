// On a phone the open panel fills the screen, and the host page must not scroll underneath it (a
// finger on the transcript's end would otherwise move the page). The lock sets `overflow: hidden`
// on the page's <html> while the panel is open on a phone-sized screen, and puts back exactly what
// the page had written there (its own inline overflow, or none) when the panel closes or the screen
// grows (a phone turned sideways may pass 480 px). An effect, so the lock follows the panel a frame
// after it opens or closes (a layout effect there took the focus back into the closing panel).

import { useEffect } from "preact/hooks";
import { PHONE_MEDIA } from "./panel-styles";

const LONGHANDS = ["overflow-x", "overflow-y"] as const;

/** Hides the page's overflow on its root element; the function returned restores it. */
function lockPageScroll(root: HTMLElement): () => void {
  const style = root.style;
  // The longhands, each with its priority: the shorthand reads "" when the page set only one of them.
  const kept = LONGHANDS.map((name) => [name, style.getPropertyValue(name), style.getPropertyPriority(name)] as const);
  for (const name of LONGHANDS) style.setProperty(name, "hidden", "important");
  return () => {
    for (const [name, value, priority] of kept)
      if (value) style.setProperty(name, value, priority);
      else style.removeProperty(name);
  };
}

/** Keeps the host page still while `open` on a phone-sized screen. */
export function usePhoneScrollLock(open: boolean): void {
  useEffect(() => {
    if (!open) return;
    const phone = matchMedia(PHONE_MEDIA);
    let unlock: (() => void) | null = null;
    const follow = () => {
      if (phone.matches) unlock ??= lockPageScroll(document.documentElement);
      else {
        unlock?.();
        unlock = null;
      }
    };
    follow();
    phone.addEventListener("change", follow);
    return () => {
      phone.removeEventListener("change", follow);
      unlock?.();
    };
  }, [open]);
}
