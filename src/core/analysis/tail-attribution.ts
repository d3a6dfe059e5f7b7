import type { Attempt } from "../attempt/attempt.js";
import { type DurationSummary, durationSummary } from "./duration-summary.js";
import { type StageStatistic, type StageStatistics, stageStatistics } from "./stage-statistics.js";

export interface TailAttribution extends StageStatistics {
  /** Deployment durations (servingAt − startedAt) of the attempts that served. */
  readonly durations: DurationSummary;
  /** The stage with the largest share of the extra time, when any share is positive. */
  readonly blamed: { readonly stage: string; readonly share: number } | null;
}

/** Every run began at or after its attempt's end point: shown, never blamed. */
export function afterEndPoint(stage: StageStatistic): boolean {
  return stage.runs > 0 && stage.runsAfterEndPoint === stage.runs;
}

/** Largest share first; stages after the end point, then those with no share, last. */
function byShare(a: StageStatistic, b: StageStatistic): number {
  const rank = (s: StageStatistic) => (afterEndPoint(s) ? 2 : s.share === null ? 1 : 0);
  return rank(a) - rank(b) || (b.share ?? 0) - (a.share ?? 0) || a.stage.localeCompare(b.stage);
}

/**
 * Tail attribution for `deployslo tail` and GET /api/v1/insight/tail: the stage statistics
 * (same split of the slow attempts' extra time along the critical path, before servingAt only)
 * with the stages sorted by their share of that extra time, largest first.
 */
export function tailAttribution(attempts: readonly Attempt[]): TailAttribution {
  const stats = stageStatistics(attempts);
  const served: number[] = [];
  for (const attempt of attempts) {
    if (attempt.servingAt !== null) served.push(Math.max(0, attempt.servingAt - attempt.startedAt));
  }
  const stages = [...stats.stages].sort(byShare);
  const top = stages.find((s) => !afterEndPoint(s));
  return {
    ...stats,
    stages,
    durations: durationSummary(served.sort((a, b) => a - b)),
    blamed: top?.share != null && top.share > 0 ? { stage: top.stage, share: top.share } : null,
  };
}
