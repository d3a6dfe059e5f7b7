import type { Stage } from "./attempt.js";

/** A stage's duration in ms, or null while it has not ended. */
export function stageDurationMs(stage: Stage): number | null {
  return stage.endedAt === null ? null : Math.max(0, stage.endedAt - stage.startedAt);
}

/** The stage that took longest (ended stages only; ties: the earlier in the record). */
export function slowestStage(
  stages: readonly Stage[],
): { readonly name: string; readonly seconds: number } | null {
  let best: Stage | undefined;
  let bestMs = -1;
  for (const stage of stages) {
    const ms = stageDurationMs(stage);
    if (ms !== null && ms > bestMs) {
      best = stage;
      bestMs = ms;
    }
  }
  return best === undefined ? null : { name: best.name, seconds: bestMs / 1000 };
}
