/** How the outbox retries a failing delivery; see docs/notifications.md#retries. */
export interface RetryPolicy {
  /** Attempts before a delivery is given up (`dead`), the first one included. */
  readonly maxAttempts: number;
  /** Delay before the second attempt, ms; it doubles after each failure… */
  readonly baseDelayMs: number;
  /** …up to this, ms. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 12,
  baseDelayMs: 5_000,
  maxDelayMs: 15 * 60_000,
});

/**
 * When to try again after failed attempt number `attempts` (1 for the first), or null when the
 * delivery is to be given up. `random` in [0, 1) spreads retries between half and the whole
 * capped exponential delay, so replicas and targets that failed together do not retry together.
 */
export function nextAttemptAt(
  at: number,
  attempts: number,
  random: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): number | null {
  if (attempts >= policy.maxAttempts) return null;
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, attempts - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  const jittered = capped / 2 + (capped / 2) * Math.min(Math.max(random, 0), 1);
  return at + Math.round(jittered);
}
