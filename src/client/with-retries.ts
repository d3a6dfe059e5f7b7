import { ApiError } from "./api-client.js";

/** How often and how patiently a batch is sent again after a transient failure. */
export interface RetryPolicy {
  /** Tries in all, the first included: 1 never retries. */
  readonly tries: number;
  /** The first retry waits about this long (±50% jitter); each next one twice as long. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  tries: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
});
/**
 * The wait before retry number `retry` (1-based): exponential, capped, with "equal jitter"
 * (half fixed, half random) so that many clients do not retry in step.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export interface RetryDeps {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly onRetry?: (info: {
    try: number;
    tries: number;
    delayMs: number;
    error: ApiError;
  }) => void;
}

/**
 * Calls `send` until it succeeds, fails with a non-transient ApiError (or anything else), or
 * `policy.tries` tries have failed; then throws the last error. A Retry-After is honoured up
 * to maxDelayMs.
 */
export async function withRetries<T>(
  send: () => Promise<T>,
  policy: RetryPolicy,
  deps: RetryDeps,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof ApiError) || !error.transient || attempt >= policy.tries) throw error;
      const backoff = backoffDelay(attempt, policy, deps.random);
      const delayMs =
        error.retryAfterMs === null
          ? backoff
          : Math.max(backoff, Math.min(error.retryAfterMs, policy.maxDelayMs));
      deps.onRetry?.({ try: attempt + 1, tries: policy.tries, delayMs, error });
      await deps.sleep(delayMs);
    }
  }
}
