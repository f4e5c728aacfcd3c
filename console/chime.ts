// A short chime for a new chat request or visitor message while the console's tab is hidden, made with
// the Web Audio API (no sound file to ship). Browsers let a page make sound only after a user gesture,
// so the audio starts at the first click or key press in the console.

/** The parts of an AudioParam the chime schedules. */
interface ParamLike {
  setValueAtTime(value: number, time: number): unknown;
  exponentialRampToValueAtTime(value: number, time: number): unknown;
}

/** The parts of the Web Audio API's AudioContext the chime uses: the browser's, or a test's stand-in. */
export interface AudioLike {
  readonly state: string;
  /** Seconds on the audio clock, which schedules each note. */
  readonly currentTime: number;
  readonly destination: object;
  resume(): Promise<void>;
  createOscillator(): {
    type: OscillatorType;
    frequency: ParamLike;
    connect(to: object): unknown;
    start(when: number): void;
    stop(when: number): void;
  };
  createGain(): { gain: ParamLike; connect(to: object): unknown };
}

/** Two soft sine notes a fifth apart, A5 then E6, each fading out: noticed, not alarming. */
const NOTES = [
  { hz: 880, startSeconds: 0 },
  { hz: 1318.5, startSeconds: 0.12 },
];
const NOTE_SECONDS = 0.45;
const PEAK_GAIN = 0.15;
/** An exponential ramp cannot reach 0: this is silent enough. */
const SILENT_GAIN = 0.0001;
/** A burst of messages chimes once. */
const GAP_MS = 2000;
const GESTURES = ["pointerdown", "keydown"] as const;

function playNotes(audio: AudioLike) {
  const start = audio.currentTime;
  for (const note of NOTES) {
    const at = start + note.startSeconds;
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = "sine";
    oscillator.frequency.setValueAtTime(note.hz, at);
    gain.gain.setValueAtTime(SILENT_GAIN, at);
    gain.gain.exponentialRampToValueAtTime(PEAK_GAIN, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(SILENT_GAIN, at + NOTE_SECONDS);
    oscillator.connect(gain);
    gain.connect(audio.destination);
    oscillator.start(at);
    oscillator.stop(at + NOTE_SECONDS);
  }
}

/**
 * The chime of one console. `makeAudio` is undefined where the browser has no Web Audio: then it
 * never sounds. `doc` hears the first gesture and tells whether the tab is hidden.
 * @example const chime = createChime(document, () => new AudioContext()); chime.ring();
 */
export function createChime(doc: Document, makeAudio: (() => AudioLike) | undefined, now: () => number = Date.now) {
  let audio: AudioLike | null = null;
  let lastRing = -Infinity;
  let quietUntil = -Infinity;

  if (makeAudio) {
    // Made inside the gesture, so the browser lets it run; captured, so no handler can stop it first.
    const unlock = () => {
      for (const type of GESTURES) doc.removeEventListener(type, unlock, true);
      audio = makeAudio();
      void audio.resume().catch(() => undefined);
    };
    for (const type of GESTURES) doc.addEventListener(type, unlock, true);
  }

  return {
    /** Chimes if the tab is hidden, a gesture let audio start, and none chimed in the last 2 s. */
    ring() {
      const time = now();
      if (!audio || doc.visibilityState !== "hidden" || time < quietUntil || time - lastRing < GAP_MS) return;
      lastRing = time;
      // The browser may have suspended it meanwhile (Safari does when another app takes the audio).
      if (audio.state === "suspended") void audio.resume().catch(() => undefined);
      playNotes(audio);
    },
    /** Keeps quiet for `ms`: a reconnected feed first replays what it missed, which is no news. */
    hush(ms: number) {
      quietUntil = now() + ms;
    },
  };
}

export type Chime = ReturnType<typeof createChime>;
