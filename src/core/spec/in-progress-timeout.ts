const HOUR = 3_600_000;

/** The shortest default: a pipeline that waits for a person or a queue may sit for a while. */
export const MIN_DEFAULT_IN_PROGRESS_TIMEOUT_MS = HOUR;
/** The longest default, and the timeout of an attempt that no SLO matches. */
export const MAX_DEFAULT_IN_PROGRESS_TIMEOUT_MS = 24 * HOUR;

/**
 * How long an attempt may stay in progress, when the spec does not say: ten times the
 * threshold, so that only an attempt far past any plausible finish is ended, within [1 h, 24 h],
 * so that a dead CI job is ended the same day but a short threshold does not end slow ones.
 */
export function defaultInProgressTimeoutMs(thresholdMs: number): number {
  return Math.min(
    MAX_DEFAULT_IN_PROGRESS_TIMEOUT_MS,
    Math.max(MIN_DEFAULT_IN_PROGRESS_TIMEOUT_MS, 10 * thresholdMs),
  );
}
