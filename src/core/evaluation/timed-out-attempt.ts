import type { Attempt } from "../attempt/attempt.js";
import { formatDuration } from "../primitives/duration.js";
import { MAX_DEFAULT_IN_PROGRESS_TIMEOUT_MS } from "../spec/in-progress-timeout.js";
import type { Slo } from "../spec/slo.js";
import { selectorMatcher } from "./selector-matcher.js";

/** The attribute through which an attempt carries its own timeout (`attempt start --timeout`). */
export const TIMEOUT_ATTRIBUTE = "timeoutSeconds";
/** The attribute saying why an attempt was ended for it. */
export const END_REASON_ATTRIBUTE = "endReason";

export interface InProgressTimeout {
  readonly ms: number;
  /** Where it comes from, for the reason recorded and the warnings shown. */
  readonly source: string;
}

/**
 * How long `attempt` may stay in progress: its own `timeoutSeconds` attribute when positive,
 * else the longest spec.inProgressTimeout of the SLOs whose selector matches it (an attempt is
 * ended only when no SLO that measures it would still wait), else 24 h.
 */
export function inProgressTimeout(attempt: Attempt, slos: readonly Slo[]): InProgressTimeout {
  const own = attempt.attributes[TIMEOUT_ATTRIBUTE];
  if (typeof own === "number" && Number.isFinite(own) && own > 0) {
    return { ms: Math.round(own * 1000), source: "the attempt's own timeout" };
  }
  let best: Slo | undefined;
  for (const slo of slos) {
    if (best !== undefined && slo.inProgressTimeoutMs <= best.inProgressTimeoutMs) continue;
    if (selectorMatcher(slo.selector)(attempt)) best = slo;
  }
  return best === undefined
    ? { ms: MAX_DEFAULT_IN_PROGRESS_TIMEOUT_MS, source: "the default for attempts no SLO matches" }
    : { ms: best.inProgressTimeoutMs, source: `the in-progress timeout of SLO ${best.name}` };
}

/**
 * The attempt as it must be counted as of `at`: unchanged unless it is in progress past its
 * timeout, then `timed_out`, ended at startedAt + timeout (the instant it was given up on, the
 * same whenever this runs), its stages still in progress ended with it, and the reason in
 * `attributes.endReason`. Returns undefined when the attempt is not past its timeout.
 */
export function timedOutAttempt(
  attempt: Attempt,
  slos: readonly Slo[],
  at: number,
): Attempt | undefined {
  if (attempt.outcome !== "in_progress") return undefined;
  const timeout = inProgressTimeout(attempt, slos);
  const deadline = attempt.startedAt + timeout.ms;
  if (deadline > at) return undefined;
  return {
    ...attempt,
    outcome: "timed_out",
    endedAt: deadline,
    stages: attempt.stages.map((stage) =>
      stage.status === "in_progress"
        ? { ...stage, status: "timed_out", endedAt: Math.max(stage.startedAt, deadline) }
        : stage,
    ),
    attributes: {
      ...attempt.attributes,
      [END_REASON_ATTRIBUTE]: `no end was recorded within ${formatDuration(timeout.ms)} (${timeout.source}); ended by deployslo`,
    },
  };
}
