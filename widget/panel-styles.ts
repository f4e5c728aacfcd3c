// The panel's CSS, loaded with it. Fits a 320 px wide screen: the panel is never wider than the
// viewport less 16 px, and long words wrap. Sides are logical, as in styles.ts: right to left mirrors it.

/** Rendered by Panel in a <style> beside it. */
export const PANEL_STYLES = `
.panel *, .panel *::before, .panel *::after { box-sizing: inherit; }
.panel {
  position: fixed; inset-inline-end: 16px; bottom: 84px; width: 360px; max-width: calc(100vw - 16px);
  height: min(540px, calc(100vh - 100px)); display: flex; flex-direction: column; overflow: hidden;
  background: #fff; border-radius: 12px; box-shadow: 0 8px 32px rgba(0, 0, 0, .28); animation: hatch-in .18s ease-out;
}
.panel[hidden] { display: none; }
@keyframes hatch-in { from { opacity: 0; transform: translateY(8px); } }
@media (max-width: 400px) { .panel { inset-inline-end: 8px; } }
.header { padding: 12px 16px; background: #0b57d0; color: #fff; }
.title { margin: 0; font-size: 17px; font-weight: 600; }
.subtitle { margin: 2px 0 0; font-size: 13px; }
.log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; }
.message { max-width: 85%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.message.visitor { align-self: flex-end; background: #0b57d0; color: #fff; }
.message.agent { align-self: flex-start; background: #eef1f5; }
.message.system, .notice { align-self: center; margin: 0; font-size: 13px; color: #4a5361; }
.text { margin: 0; }
.name { margin: 0 0 2px; font-size: 13px; font-weight: 600; color: #4a5361; }
.time { display: block; margin-top: 2px; font-size: 11px; text-align: end; opacity: .85; }
.typing { padding: 0 12px; font-size: 13px; color: #4a5361; }
.file { display: block; font-weight: 600; }
.size { font-weight: 400; }
.check-text { margin: 0; padding: 8px 12px 0; font-size: 14px; }
.hint { color: #4a5361; }
.check { display: flex; align-items: center; gap: 8px; padding: 6px 12px 8px; }
.meter { flex: 1; height: 8px; border-radius: 4px; background: #dde1e6; overflow: hidden; }
.fill { height: 100%; background: #0b57d0; transition: width .2s linear; }
.cancel { height: 32px; padding: 0 12px; border: 1px solid #8c959f; border-radius: 8px; font: inherit; background: #fff; color: inherit; cursor: pointer; }
.alert, .expired { margin: 0; padding: 8px 12px; background: #fdecea; color: #8a1c13; font-size: 14px; }
.composer { display: flex; align-items: flex-end; gap: 6px; padding: 8px; border-top: 1px solid #dde1e6; }
.field { flex: 1; min-width: 0; resize: none; font: inherit; color: inherit; padding: 8px 10px; border: 1px solid #8c959f; border-radius: 8px; background: #fff; }
.attach { display: grid; place-items: center; width: 40px; height: 40px; flex: none; border-radius: 8px; cursor: pointer; color: #4a5361; }
.attach:hover { background: #eef1f5; }
.attach:focus-within { outline: 3px solid #0b57d0; outline-offset: 2px; }
.send, .restart { height: 40px; padding: 0 14px; border: 0; border-radius: 8px; font: inherit; font-weight: 600; background: #0b57d0; color: #fff; cursor: pointer; }
.send:disabled { opacity: .6; cursor: default; }
.restart { margin: 8px; }
.sr { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
