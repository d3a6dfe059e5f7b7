import type { Stage } from "./attempt.js";

/**
 * The critical path of an attempt's stages: the chain of stages that determined when it
 * reached `until` (servingAt, or the attempt's end). Rule (docs/dashboard.md): start from the
 * stage that ends last at or before `until` (a running stage counts as ending at `until`);
 * then, repeatedly, take among the stages that ended at or before the current one started the
 * one that ended last (ties: the one that started first). Skipped stages are never on it.
 * Returns the indexes of `stages` on the path, in time order.
 */
export function criticalPath(stages: readonly Stage[], until: number): number[] {
  const endOf = (stage: Stage): number => stage.endedAt ?? until;
  const candidates = stages
    .map((stage, index) => ({ stage, index }))
    .filter(({ stage }) => stage.status !== "skipped" && stage.startedAt <= until);
  const pick = (bound: number, below: number): number | undefined => {
    let best: { stage: Stage; index: number } | undefined;
    for (const candidate of candidates) {
      const end = Math.min(endOf(candidate.stage), until);
      if (end > bound || candidate.stage.startedAt >= below) continue;
      if (
        best === undefined ||
        end > Math.min(endOf(best.stage), until) ||
        (end === Math.min(endOf(best.stage), until) &&
          candidate.stage.startedAt < best.stage.startedAt)
      ) {
        best = candidate;
      }
    }
    return best?.index;
  };
  const path: number[] = [];
  let current = pick(until, Number.POSITIVE_INFINITY);
  while (current !== undefined) {
    path.push(current);
    const stage = stages[current];
    if (stage === undefined) break;
    current = pick(stage.startedAt, stage.startedAt);
  }
  return path.reverse();
}
