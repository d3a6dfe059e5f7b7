import { attemptToRecordJson } from "../core/attempt/attempt-to-record-json.js";
import { sloEndPoint } from "../core/attempt/slo-end-point.js";
import { slowestStage } from "../core/attempt/stage-durations.js";
import { indicatorMeasurements } from "../core/evaluation/indicator-measurements.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";
import type { Slo } from "../core/spec/slo.js";
import type { Store } from "../store/store.js";
import { scanAttempts } from "./dashboard-scope.js";

export interface AttemptSummary {
  readonly id: string;
  readonly model: string;
  readonly version: string;
  readonly environment: string;
  readonly outcome: string;
  readonly startedAt: string;
  /** servingAt − startedAt; null when it never served. */
  readonly durationSeconds: number | null;
  /**
   * The longest value the SLO's indicator measured on this attempt (the deployment duration, the
   * stage's longest run, the dependency's longest sample), in seconds; null when none yet.
   */
  readonly measuredSeconds: number | null;
  /** measuredSeconds against the SLO's threshold. */
  readonly overThreshold: boolean | null;
  readonly slowestStage: { readonly name: string; readonly seconds: number } | null;
}

/** The newest attempts an SLO selects that started in [from, to), summarised for a table. */
export async function listSloAttempts(
  store: Store,
  slo: Slo,
  range: { readonly from: number; readonly to: number },
  limit: number,
): Promise<{ readonly attempts: AttemptSummary[]; readonly scanned: number }> {
  const { attempts, scanned } = await scanAttempts(store, { slo, ...range }, limit);
  return {
    scanned,
    attempts: attempts.map((attempt) => {
      const record = attemptToRecordJson(attempt);
      const duration =
        attempt.servingAt === null ? null : (attempt.servingAt - attempt.startedAt) / 1000;
      const measurements = indicatorMeasurements(slo.indicator, attempt);
      const measured = measurements.length === 0 ? null : Math.max(...measurements);
      return {
        id: attempt.id,
        model: attempt.model,
        version: attempt.version,
        environment: attempt.environment,
        outcome: record.outcome,
        startedAt: formatTimestamp(attempt.startedAt),
        durationSeconds: duration,
        measuredSeconds: measured === null ? null : measured / 1000,
        overThreshold: measured === null ? null : measured > slo.objective.thresholdMs,
        slowestStage: slowestStage(attempt.stages, sloEndPoint(attempt)),
      };
    }),
  };
}
