import type { Stage } from "./attempt.js";

/** A stage's duration in ms, or null while it has not ended. */
export function stageDurationMs(stage: Stage): number | null {
  return stage.endedAt === null ? null : Math.max(0, stage.endedAt - stage.startedAt);
}

/**
 * The stage that took longest among those that ended by `endPoint` (the SLO's end point, see
 * sloEndPoint; null: every ended stage), so that a canary running after the first inference is
 * never named as what slowed an attempt. Ties: the earlier in the record.
 */
export function slowestStage(
  stages: readonly Stage[],
  endPoint: number | null = null,
): { readonly name: string; readonly seconds: number } | null {
  let best: Stage | undefined;
  let bestMs = -1;
  for (const stage of stages) {
    if (endPoint !== null && (stage.endedAt === null || stage.endedAt > endPoint)) continue;
    const ms = stageDurationMs(stage);
    if (ms !== null && ms > bestMs) {
      best = stage;
      bestMs = ms;
    }
  }
  return best === undefined ? null : { name: best.name, seconds: bestMs / 1000 };
}
