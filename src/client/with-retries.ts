import type { Random } from "../clock/random.js";
import { backoffDelay, type RetryPolicy } from "../core/primitives/retry-policy.js";
import { ApiError } from "./api-client.js";

/** `push`'s patience: 5 tries, from about 1 s to at most 30 s apart. */
export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
});

export interface RetryDeps {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: Random;
  readonly onRetry?: (info: {
    try: number;
    tries: number;
    delayMs: number;
    error: ApiError;
  }) => void;
}

/**
 * Calls `send` until it succeeds, fails with a non-transient ApiError (or anything else), or
 * `policy.maxAttempts` tries have failed; then throws the last error. A Retry-After is honoured up
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
      if (!(error instanceof ApiError) || !error.transient || attempt >= policy.maxAttempts)
        throw error;
      const backoff = backoffDelay(attempt, policy, deps.random());
      const delayMs =
        error.retryAfterMs === null
          ? backoff
          : Math.max(backoff, Math.min(error.retryAfterMs, policy.maxDelayMs));
      deps.onRetry?.({ try: attempt + 1, tries: policy.maxAttempts, delayMs, error });
      await deps.sleep(delayMs);
    }
  }
}
