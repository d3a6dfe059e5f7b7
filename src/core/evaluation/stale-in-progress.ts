import type { Attempt } from "../attempt/attempt.js";
import type { Slo } from "../spec/slo.js";
import { selectorMatcher } from "./selector-matcher.js";
import { inProgressTimeout } from "./timed-out-attempt.js";

/** An attempt in progress for long: its pipeline may have died without recording the end. */
export interface StaleInProgress {
  readonly attempt: Attempt;
  /** The tightest threshold of the deployment SLOs that select it. */
  readonly thresholdMs: number;
  /** When it is recorded as timed_out if no end arrives (startedAt + its in-progress timeout). */
  readonly timeoutAt: number;
}

/**
 * The warning due for `attempt` as of `at`, or undefined. An attempt is stale when it is in
 * progress past both the tightest threshold of the deployment SLOs that select it and half its
 * in-progress timeout (by default five times the threshold): late enough that a pipeline that
 * died is the likelier story than a slow one, early enough to act before it times out.
 */
export function staleInProgress(
  attempt: Attempt,
  slos: readonly Slo[],
  at: number,
): StaleInProgress | undefined {
  if (attempt.outcome !== "in_progress" || attempt.startedAt > at) return undefined;
  let thresholdMs = Number.POSITIVE_INFINITY;
  for (const slo of slos) {
    if (slo.indicator.kind !== "deployment" || slo.objective.thresholdMs >= thresholdMs) continue;
    if (selectorMatcher(slo.selector)(attempt)) thresholdMs = slo.objective.thresholdMs;
  }
  if (thresholdMs === Number.POSITIVE_INFINITY) return undefined;
  const timeoutMs = inProgressTimeout(attempt, slos).ms;
  const elapsed = at - attempt.startedAt;
  if (!(elapsed > thresholdMs && elapsed > timeoutMs / 2)) return undefined;
  return { attempt, thresholdMs, timeoutAt: attempt.startedAt + timeoutMs };
}
