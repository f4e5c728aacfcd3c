// The first bundle's CSS, put in a <style> in the shadow root: selectors cannot cross the boundary either
// way. Only inheritance crosses it, and `all: initial` on :host stops that; `!important` there also beats
// the page's own rules for the host element (an important declaration inside the shadow wins: CSS
// Cascade 5, "Context"). The panel brings its own rules (panel-styles.ts). Sides are logical (inline-end,
// not right), so that right to left (dir="rtl" on the root, for Arabic and Hebrew) mirrors the whole chat,
// the owner's side for the button too. The look is custom properties on the root: --accent and
// --on-accent (its text colour), --x and --y (the button's distance from its corner), at their defaults
// here unless the owner's are set on the root (main.tsx); setting them on the root also keeps out any of
// the page's, which would inherit through the shadow root. The defaults are written out, as importing
// policy/widget-look.ts's cost bytes here; test/widget/widget-look.test.tsx holds them to its. Class
// "start" puts the button at the start of the line (the owner's "left").

/**
 * The host reset, the button and its unread badge, focus rings and reduced motion (for the panel too).
 * The button is a pill that is round while it holds only its icon (28 px and 14 px either side).
 */
export const STYLES = `
:host { all: initial !important; }
:host > div { --accent: #0b57d0; --on-accent: #ffffff; --x: 16px; --y: 16px; }
.button, .panel { font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; box-sizing: border-box; z-index: 2147483000; }
.button {
  position: fixed; inset-inline-end: var(--x); bottom: var(--y); min-width: 56px; height: 56px; padding: 0 14px; border: 0; border-radius: 28px;
  display: grid; grid-auto-flow: column; gap: 8px; place-items: center; cursor: pointer; background: var(--accent); color: var(--on-accent); font-weight: 600;
  box-shadow: 0 4px 14px rgba(0, 0, 0, .25); transition: transform .15s ease, filter .15s ease;
}
.start .button { inset-inline: var(--x) auto; }
.button:hover { filter: brightness(.9); transform: scale(1.05); }
.badge {
  position: absolute; top: -4px; inset-inline-end: -4px; min-width: 22px; height: 22px; padding: 0 6px; border-radius: 11px;
  box-sizing: border-box; background: #c5221f; color: #fff; font-size: 12px; font-weight: 700; line-height: 22px; text-align: center;
}
:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
.button:focus-visible { outline-color: #1b1f24; }
@media (prefers-reduced-motion: reduce) { * { transition: none !important; animation: none !important; } }
`;
