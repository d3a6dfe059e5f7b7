/** What the critical path needs of a stage (an attempt's stage or a pipeline run's report). */
export interface TimedSpan {
  readonly startedAt: number;
  /** Null while the stage runs. */
  readonly endedAt: number | null;
  readonly status: string;
}

/**
 * The critical path of an attempt's stages: the chain of stages that determined when it
 * reached `endPoint` (see `sloEndPoint`: servingAt, or the end of an attempt that never served).
 * The one rule of the product (docs/dashboard.md), used by the runner, the CLI and the
 * dashboard: start from the stage that ends last at or before `endPoint`; then, repeatedly, take
 * among the stages that ended at or before the current one started the one that ended last
 * (ties: the one that started first). A stage that starts at or after `endPoint` or ends after
 * it did not delay it and is never on the path; nor is a skipped stage. A stage still running at
 * `now` counts as ending then, so it is on the path of an attempt that has not reached its end
 * point yet (`now` ≤ `endPoint`) and off the path of one that has.
 * Returns the indexes of `stages` on the path, in time order.
 */
export function criticalPath(
  stages: readonly TimedSpan[],
  endPoint: number,
  now: number = endPoint,
): number[] {
  const candidates: { index: number; startedAt: number; end: number }[] = [];
  stages.forEach((stage, index) => {
    if (stage.status === "skipped" || stage.startedAt >= endPoint) return;
    const end = stage.endedAt ?? now;
    if (end > endPoint) return;
    candidates.push({ index, startedAt: stage.startedAt, end });
  });
  const pick = (bound: number, below: number) => {
    let best: (typeof candidates)[number] | undefined;
    for (const candidate of candidates) {
      if (candidate.end > bound || candidate.startedAt >= below) continue;
      if (
        best === undefined ||
        candidate.end > best.end ||
        (candidate.end === best.end && candidate.startedAt < best.startedAt)
      )
        best = candidate;
    }
    return best;
  };
  const path: number[] = [];
  let current = pick(endPoint, Number.POSITIVE_INFINITY);
  while (current !== undefined) {
    path.push(current.index);
    current = pick(current.startedAt, current.startedAt);
  }
  return path.reverse();
}
