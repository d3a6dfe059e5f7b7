/**
 * How a failing send is tried again, the same for `deployslo push` and the notification outbox;
 * each has its own defaults (DEFAULT_RETRY in the client, DEFAULT_RETRY_POLICY for deliveries).
 */
export interface RetryPolicy {
  /** Tries in all, the first included: 1 never retries. */
  readonly maxAttempts: number;
  /** The first retry waits about this long (±50% jitter); each next one twice as long… */
  readonly baseDelayMs: number;
  /** …up to this. */
  readonly maxDelayMs: number;
}

/**
 * The wait before retry number `retry` (1-based): exponential, capped, with "equal jitter"
 * (half fixed, half `random` in [0, 1)), so that clients, replicas and targets that failed
 * together do not retry in step.
 */
export function backoffDelay(
  retry: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  random: number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random, 0), 1));
}
