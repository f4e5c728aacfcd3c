// Where Debian's Chromium headless shell is (package chromium-headless-shell), for the end-to-end tests
// and bench/challenge.ts: one place, and no Vitest behind it, so a bench can import it.

/**
 * The "old headless" Chrome, as Playwright's own headless runs use: the same Blink and V8 without the
 * full browser around it. A capability test took a third of the CPU it took in `chromium --headless`
 * (3.9 s against 11.2 s) and the end-to-end project 202 s instead of 456 s.
 */
export const HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";
