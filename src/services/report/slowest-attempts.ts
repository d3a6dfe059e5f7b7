import type { SloReportSlowAttemptJson } from "../../contract/slo-report-schema.js";
import type { StageStatistic } from "../../core/analysis/stage-statistics.js";
import type { Attempt } from "../../core/attempt/attempt.js";
import { criticalPath } from "../../core/attempt/critical-path.js";
import { formatTimestamp } from "../../core/primitives/timestamp.js";

/**
 * Time on the critical path before the first inference, per stage name, in path order: the
 * same clipping to [startedAt, servingAt] as the tail attribution.
 */
function pathTimes(attempt: Attempt, servingAt: number): Map<string, number> {
  const times = new Map<string, number>();
  for (const index of criticalPath(attempt.stages, servingAt, Number.POSITIVE_INFINITY)) {
    const stage = attempt.stages[index];
    if (stage === undefined) continue;
    const from = Math.max(stage.startedAt, attempt.startedAt);
    const to = Math.min(stage.endedAt ?? servingAt, servingAt);
    times.set(stage.name, (times.get(stage.name) ?? 0) + Math.max(0, to - from));
  }
  return times;
}

/**
 * The `count` attempts that took longest to serve, longest first, each with its critical path
 * and the stage on it furthest above that stage's median (`stages`: the period's statistics).
 */
export function slowestAttempts(
  attempts: readonly Attempt[],
  stages: readonly StageStatistic[],
  count: number,
): SloReportSlowAttemptJson[] {
  const typical = new Map(stages.map((s) => [s.stage, s.p50]));
  const served = attempts
    .filter((a): a is Attempt & { servingAt: number } => a.servingAt !== null)
    .sort(
      (a, b) => b.servingAt - b.startedAt - (a.servingAt - a.startedAt) || a.id.localeCompare(b.id),
    )
    .slice(0, count);
  return served.map((attempt) => {
    const path = [...pathTimes(attempt, attempt.servingAt)].map(([stage, ms]) => ({
      stage,
      seconds: ms / 1000,
      typicalSeconds: typical.get(stage) ?? null,
    }));
    let cause: (typeof path)[number] | null = null;
    for (const part of path) {
      const extra = part.seconds - (part.typicalSeconds ?? 0);
      if (extra > 0 && (cause === null || extra > cause.seconds - (cause.typicalSeconds ?? 0)))
        cause = part;
    }
    return {
      id: attempt.id,
      model: attempt.model,
      version: attempt.version,
      environment: attempt.environment,
      startedAt: formatTimestamp(attempt.startedAt),
      durationSeconds: (attempt.servingAt - attempt.startedAt) / 1000,
      criticalPath: path,
      cause,
    };
  });
}
