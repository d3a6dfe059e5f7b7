import { formatTimestamp } from "../primitives/timestamp.js";
import type { Slo } from "../spec/slo.js";
import type { AttemptTables } from "./attempt-tables.js";
import { evaluateSlo } from "./evaluate-slo.js";
import type { EvaluationResult } from "./evaluation-result.js";
import { DurationBuffer } from "./slo-tally.js";

/** Evaluates every SLO as of `at` (epoch ms), in the order given. */
export function evaluateSlos(
  slos: readonly Slo[],
  tables: AttemptTables,
  at: number,
): EvaluationResult {
  const durations = new DurationBuffer();
  return {
    at: formatTimestamp(at),
    slos: slos.map((slo) => evaluateSlo(slo, tables, at, durations)),
  };
}
