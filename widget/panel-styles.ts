// The panel's CSS, loaded with it. Above a phone's width it floats over the button, never wider than
// the viewport, and long words wrap; on a phone it fills the screen, its close button at the top. Sides
// are logical, as in styles.ts: right to left mirrors it. Colours are custom properties of the panel:
// light by default, dark when the visitor's device prefers it (unless the owner forces a scheme: class
// "light" or "dark" on the panel). The accent and its text colour come from the root (main.tsx).

/** A phone-sized screen, where the open panel fills it and the page underneath is held still. */
export const PHONE_MEDIA = "(max-width: 480px)";

/** The dark palette: each text colour keeps at least 4.5:1 on the backgrounds it is drawn on. */
const DARK = `color-scheme: dark; --bg: #1d2127; --fg: #e6e8eb; --soft: #2c323a; --muted: #aab2bd; --line: #3a414b;
  --edge: #6b7480; --alert-bg: #4a1d1a; --alert-fg: #ffb4ab; --focus: #8ab4f8;`;

/** Rendered by Panel in a <style> beside it. */
export const PANEL_STYLES = `
.panel *, .panel *::before, .panel *::after { box-sizing: inherit; }
.panel {
  color-scheme: light; --bg: #fff; --fg: #1b1f24; --soft: #eef1f5; --muted: #4a5361; --line: #dde1e6;
  --edge: #8c959f; --alert-bg: #fdecea; --alert-fg: #8a1c13; --focus: #0b57d0;
  position: fixed; inset-inline-end: var(--x); bottom: calc(var(--y) + 68px); width: 360px; max-width: calc(100vw - var(--x) - 8px);
  height: min(540px, calc(100vh - var(--y) - 84px)); display: flex; flex-direction: column; overflow: hidden;
  background: var(--bg); color: var(--fg); border-radius: 12px; box-shadow: 0 8px 32px rgba(0, 0, 0, .28); animation: hatch-in .18s ease-out;
}
.start .panel { inset-inline: var(--x) auto; }
.panel.dark { ${DARK} }
@media (prefers-color-scheme: dark) { .panel:not(.light) { ${DARK} } }
.panel[hidden] { display: none; }
@keyframes hatch-in { from { opacity: 0; transform: translateY(8px); } }
.header { display: flex; align-items: flex-start; gap: 8px; padding: 12px 16px; background: var(--accent); color: var(--on-accent); }
.heading { flex: 1; min-width: 0; }
.avatar { display: block; flex: none; width: 32px; height: 32px; border-radius: 50%; object-fit: cover; }
.message .avatar { margin-bottom: 4px; }
.close {
  display: none; place-items: center; flex: none; width: 44px; height: 44px; margin-block: -10px; margin-inline-end: -12px;
  padding: 0; border: 0; border-radius: 50%; background: transparent; color: inherit; cursor: pointer;
}
.panel :focus-visible { outline-color: var(--focus); }
.close:focus-visible { outline-color: currentColor; outline-offset: -4px; }
@media ${PHONE_MEDIA} {
  .panel, .start .panel { inset: 0; width: auto; max-width: none; height: 100vh; height: 100dvh; border-radius: 0; }
  .close { display: grid; }
  /* Under the full-screen panel the corner button is out of sight: out of reach too, one "Close chat". */
  .button[aria-expanded="true"] { display: none; }
}
.title { margin: 0; font-size: 17px; font-weight: 600; overflow-wrap: anywhere; }
.subtitle { margin: 2px 0 0; font-size: 13px; }
.log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; }
.message { max-width: 85%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.message.visitor { align-self: flex-end; background: var(--accent); color: var(--on-accent); }
.message.agent { align-self: flex-start; background: var(--soft); }
.message.system, .notice { align-self: center; margin: 0; font-size: 13px; color: var(--muted); }
.text { margin: 0; }
.name { margin: 0 0 2px; font-size: 13px; font-weight: 600; color: var(--muted); }
.time { display: block; margin-top: 2px; font-size: 11px; text-align: end; opacity: .85; }
.typing { padding: 0 12px; font-size: 13px; color: var(--muted); }
.file { display: block; font-weight: 600; }
.size { font-weight: 400; }
.download { margin-top: 4px; padding: 4px 10px; border: 1px solid var(--edge); border-radius: 8px; font: inherit; font-size: 13px; background: var(--bg); color: inherit; cursor: pointer; }
.check-text { margin: 0; padding: 8px 12px 0; font-size: 14px; }
.hint { color: var(--muted); }
.check { display: flex; align-items: center; gap: 8px; padding: 6px 12px 8px; }
.meter { flex: 1; height: 8px; border-radius: 4px; background: var(--line); overflow: hidden; }
.fill { height: 100%; background: var(--accent); transition: width .2s linear; }
.cancel { height: 32px; padding: 0 12px; border: 1px solid var(--edge); border-radius: 8px; font: inherit; background: var(--bg); color: inherit; cursor: pointer; }
.alert, .expired { margin: 0; padding: 8px 12px; background: var(--alert-bg); color: var(--alert-fg); font-size: 14px; }
.composer { display: flex; align-items: flex-end; gap: 6px; padding: 8px; border-top: 1px solid var(--line); }
.field { flex: 1; min-width: 0; resize: none; font: inherit; color: inherit; padding: 8px 10px; border: 1px solid var(--edge); border-radius: 8px; background: var(--bg); }
.intake { display: flex; flex-direction: column; gap: 8px; max-height: 75%; overflow-y: auto; padding: 8px 12px 12px; border-top: 1px solid var(--line); }
.form-field { display: flex; flex-direction: column; gap: 4px; font-size: 14px; }
.form-field .field { flex: none; }
.form-field .field[aria-invalid="true"] { border-color: var(--alert-fg); }
.form-error { margin: 0; color: var(--alert-fg); font-size: 13px; }
.intake .send { align-self: flex-end; }
.privacy { margin: 0; padding: 8px 12px 0; font-size: 13px; color: var(--muted); white-space: pre-line; overflow-wrap: anywhere; }
.privacy a { color: inherit; }
.consent label { display: flex; gap: 8px; align-items: flex-start; }
.attach { display: grid; place-items: center; width: 40px; height: 40px; flex: none; border-radius: 8px; cursor: pointer; color: var(--muted); }
.attach:hover { background: var(--soft); }
.attach:focus-within { outline: 3px solid var(--focus); outline-offset: 2px; }
.send, .restart { height: 40px; padding: 0 14px; border: 0; border-radius: 8px; font: inherit; font-weight: 600; background: var(--accent); color: var(--on-accent); cursor: pointer; }
.send:disabled { opacity: .6; cursor: default; }
.restart { margin: 8px; }
.sr { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
