import { backoffDelay, type RetryPolicy } from "./retry-policy.js";

/** How the outbox retries a failing delivery; see docs/notifications.md#retries. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 12,
  baseDelayMs: 5_000,
  maxDelayMs: 15 * 60_000,
});

/**
 * When to try again after failed attempt number `attempts` (1 for the first), or null when the
 * delivery is to be given up (backoffDelay after `at`).
 */
export function nextAttemptAt(
  at: number,
  attempts: number,
  random: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): number | null {
  if (attempts >= policy.maxAttempts) return null;
  return at + backoffDelay(attempts, policy, random);
}
