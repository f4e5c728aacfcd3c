// Idleness across the console's tabs in one browser: each records pointer and keyboard activity in
// storage, so a tab left in the background does not call the user idle while they work in another.

/** What counts as the user being there. */
const ACTIVITY = ["pointerdown", "pointermove", "keydown", "wheel", "touchstart"] as const;
const LAST_ACTIVE_KEY = "hatch.lastActive";
/** Activity is recorded at most this often: pointermove fires many times a second. */
const RECORD_EVERY_MS = 5_000;
/** How often idleness is checked: an idle time counted in minutes needs no finer grain. */
const CHECK_EVERY_MS = 15_000;

/**
 * Calls `onIdle` once when no tab has seen activity for `idleMs`, and `onActive` on activity (at most
 * every few seconds). Opening counts as activity. Returns the function that stops watching.
 * @example const stop = watchIdle(document, localStorage, 10 * 60_000, presence.idle, presence.active);
 */
export function watchIdle(
  target: EventTarget,
  storage: Pick<Storage, "getItem" | "setItem">,
  idleMs: number,
  onIdle: () => void,
  onActive: () => void,
): () => void {
  let recorded = Date.now();
  let idle = false;
  storage.setItem(LAST_ACTIVE_KEY, String(recorded));
  const record = () => {
    const now = Date.now();
    if (now - recorded < RECORD_EVERY_MS) return;
    recorded = now;
    storage.setItem(LAST_ACTIVE_KEY, String(now));
    onActive();
  };
  const check = () => {
    const last = Math.max(recorded, Number(storage.getItem(LAST_ACTIVE_KEY)) || 0);
    const quiet = Date.now() - last >= idleMs;
    if (quiet && !idle) onIdle();
    idle = quiet;
  };
  const options = { capture: true, passive: true };
  for (const type of ACTIVITY) target.addEventListener(type, record, options);
  const timer = setInterval(check, CHECK_EVERY_MS);
  return () => {
    clearInterval(timer);
    for (const type of ACTIVITY) target.removeEventListener(type, record, options);
  };
}
