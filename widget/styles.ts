// The first bundle's CSS, put in a <style> in the shadow root: selectors cannot cross the boundary either
// way. Only inheritance crosses it, and `all: initial` on :host stops that; `!important` there also beats
// the page's own rules for the host element (an important declaration inside the shadow wins: CSS
// Cascade 5, "Context"). The panel brings its own rules (panel-styles.ts). Sides are logical (inline-end,
// not right), so that right to left (dir="rtl" on the root, for Arabic and Hebrew) mirrors the whole chat.

/** The host reset, the button and its unread badge, focus rings and reduced motion (for the panel too). */
export const STYLES = `
:host { all: initial !important; }
.button, .panel { font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; box-sizing: border-box; z-index: 2147483000; }
.button {
  position: fixed; inset-inline-end: 16px; bottom: 16px; width: 56px; height: 56px; padding: 0; border: 0; border-radius: 50%;
  display: grid; place-items: center; cursor: pointer; background: #0b57d0; color: #fff;
  box-shadow: 0 4px 14px rgba(0, 0, 0, .25); transition: transform .15s ease, background-color .15s ease;
}
.button:hover { background: #0842a0; transform: scale(1.05); }
.badge {
  position: absolute; top: -4px; inset-inline-end: -4px; min-width: 22px; height: 22px; padding: 0 6px; border-radius: 11px;
  box-sizing: border-box; background: #c5221f; color: #fff; font-size: 12px; font-weight: 700; line-height: 22px; text-align: center;
}
:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
.button:focus-visible { outline-color: #1b1f24; }
@media (prefers-reduced-motion: reduce) { * { transition: none !important; animation: none !important; } }
`;
