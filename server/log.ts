// The server's log: one JSON line per event worth an operator's attention (errors, start, shutdown),
// through pino, to standard error. Nothing per verdict or per request: that is what /metrics is for.

import { pino, type Logger } from "pino";

export type Log = Logger;

/** LOG_LEVEL picks how much (pino's levels; `silent` for none); errors are always worth a line. */
export function createLog(level = "info"): Log {
  return pino({ level, base: { service: "hatch" } }, pino.destination(2));
}
