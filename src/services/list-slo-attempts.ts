import type { AttemptSummary } from "../contract/attempt-summary-schema.js";
import { attemptToRecordJson } from "../core/attempt/attempt-to-record-json.js";
import { sloEndPoint } from "../core/attempt/slo-end-point.js";
import { slowestStage } from "../core/attempt/stage-durations.js";
import { indicatorMeasurements } from "../core/evaluation/indicator-measurements.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";
import { windowBounds } from "../core/spec/window-bounds.js";
import { type ReadScope, visibleSlo } from "./read-scope.js";
import { scanAttempts } from "./scan-attempts.js";
import type { UseCaseCall } from "./service-context.js";

export type { AttemptSummary };

export interface SloAttemptsInput {
  readonly name: string;
  /** Default: the start of the SLO's window as of `to`. */
  readonly from: number | undefined;
  readonly to: number;
  readonly limit: number;
  readonly scope: ReadScope;
}

/**
 * The newest attempts an SLO selects that started in [from, to), summarised for a table;
 * NOT_FOUND for an SLO the reader may not see.
 */
export async function listSloAttempts({
  ctx,
  input: { name, from, to, limit, scope },
}: UseCaseCall<"store" | "engine", SloAttemptsInput>): Promise<{
  readonly attempts: AttemptSummary[];
  readonly scanned: number;
}> {
  const slo = visibleSlo(ctx.engine, name, scope);
  const { attempts, scanned } = await scanAttempts(
    ctx.store,
    { slo, from: from ?? windowBounds(slo.window, to).start, to, readable: scope },
    limit,
  );
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
