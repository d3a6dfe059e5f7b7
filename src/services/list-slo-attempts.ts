import type { AttemptSummary } from "../contract/attempt-summary-schema.js";
import { attemptToRecordJson } from "../core/attempt/attempt-to-record-json.js";
import { sloEndPoint } from "../core/attempt/slo-end-point.js";
import { slowestStage } from "../core/attempt/stage-durations.js";
import { indicatorMeasurements } from "../core/evaluation/indicator-measurements.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";
import type { Slo } from "../core/spec/slo.js";
import { scanAttempts } from "./scan-attempts.js";
import type { UseCaseCall } from "./service-context.js";

export type { AttemptSummary };

/** The newest attempts an SLO selects that started in [from, to), summarised for a table. */
export async function listSloAttempts({
  ctx,
  input: { slo, from, to, limit },
}: UseCaseCall<
  "store",
  { readonly slo: Slo; readonly from: number; readonly to: number; readonly limit: number }
>): Promise<{ readonly attempts: AttemptSummary[]; readonly scanned: number }> {
  const { attempts, scanned } = await scanAttempts(ctx.store, { slo, from, to }, limit);
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
