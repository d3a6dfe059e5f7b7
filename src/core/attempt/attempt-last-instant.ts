import type { Attempt } from "./attempt.js";

/**
 * The last instant at which anything of an attempt can count for an SLO: the latest of its
 * start, first inference, end, stage starts and ends, and dependency samples (a sample without
 * `at` is taken at the attempt's start). Null while the attempt or one of its stages is still
 * in progress: an in-progress subject counts in every evaluation (`inProgress`, and as bad past
 * its threshold), however old. Retention deletes an attempt only when this is before its cutoff.
 */
export function attemptLastInstant(
  attempt: Pick<
    Attempt,
    "outcome" | "startedAt" | "servingAt" | "endedAt" | "stages" | "dependencies"
  >,
): number | null {
  if (attempt.outcome === "in_progress") return null;
  let last = Math.max(attempt.startedAt, attempt.servingAt ?? 0, attempt.endedAt ?? 0);
  for (const stage of attempt.stages) {
    if (stage.status === "in_progress") return null;
    last = Math.max(last, stage.startedAt, stage.endedAt ?? 0);
  }
  for (const sample of attempt.dependencies) last = Math.max(last, sample.at ?? 0);
  return last;
}
