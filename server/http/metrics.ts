// What GET /metrics tells Prometheus: verdicts shown and hidden (by what hid them), request latency
// by route, open event streams, rate-limit refusals and uploads by category. The verdict counts in
// plain numbers on its hot path; prom-client reads them when it is scraped.

import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { REASON_CHECKS, type Reason } from "../../policy/verdict";

/** How a verdict ended: shown, or the first thing that hid it. */
export type VerdictOutcome = "shown" | "account" | "origin" | Reason["check"] | "refused";

const OUTCOMES: readonly VerdictOutcome[] = ["shown", "account", "origin", ...REASON_CHECKS, "refused"];

/** Seconds; a verdict answers in well under a millisecond, an upload in seconds. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

export class Metrics {
  readonly registry = new Registry();
  private readonly verdicts = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<
    VerdictOutcome,
    number
  >;
  readonly requestSeconds = new Histogram({
    name: "hatch_request_duration_seconds",
    help: "Time to answer a request, by route.",
    labelNames: ["route", "method"],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  /** The verdict's own histogram child, bound once: label lookups per request showed on the hot path. */
  readonly verdictSeconds = this.requestSeconds.labels("/api/v1/widget/:account/verdict", "GET");
  readonly ticketSeconds = this.requestSeconds.labels("/api/v1/widget/:account/ticket", "GET");
  readonly rateLimited = new Counter({
    name: "hatch_rate_limited_total",
    help: "Requests refused with 429, by route.",
    labelNames: ["route"],
    registers: [this.registry],
  });
  readonly uploads = new Counter({
    name: "hatch_uploads_total",
    help: "Visitor uploads, accepted or refused, by category.",
    labelNames: ["outcome", "category"],
    registers: [this.registry],
  });

  readonly retained = new Counter({
    name: "hatch_retention_removed_total",
    help: "What retention took away: chats, messages and files deleted, rows whose addresses became networks.",
    labelNames: ["what"],
    registers: [this.registry],
  });

  private readonly verdictCounter: Counter<"outcome">;
  private readonly streamGauge: Gauge;

  constructor(openStreams: () => number) {
    const verdicts = this.verdicts;
    this.verdictCounter = new Counter({
      name: "hatch_verdicts_total",
      help: "Verdicts answered: shown, or the check that hid them.",
      labelNames: ["outcome"],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const outcome of OUTCOMES) this.inc({ outcome }, verdicts[outcome]);
      },
    });
    this.streamGauge = new Gauge({
      name: "hatch_open_event_streams",
      help: "Event streams open in this instance.",
      registers: [this.registry],
      collect() {
        this.set(openStreams());
      },
    });
  }

  /** Counts a verdict: no allocation, no lookup. */
  countVerdict(outcome: VerdictOutcome): void {
    this.verdicts[outcome]++;
  }
}
