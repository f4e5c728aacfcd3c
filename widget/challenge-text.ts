// The words of the proof-of-work gate, in one table, for the translations of issue 16.

/** What the visitor reads (and hears) while the widget proves it is not a robot, and when it cannot. */
export const CHALLENGE_TEXT = {
  checking: "Checking that you are not a robot…",
  hint: "This usually takes a second.",
  progress: "Check progress",
  cancel: "Cancel",
  gaveUp: "We could not check that you are not a robot. Send your message again in a few minutes.",
  /** Web Crypto exists only on secure pages: an http:// page cannot solve the check at all. */
  unsupported: "This page cannot run the check that you are not a robot: it works only on https:// pages.",
} as const;
