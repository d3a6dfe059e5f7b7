/** A token's request rate: `perSecond` on average, up to `burst` at once. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/**
 * Token buckets, one per key (a token's name): each request takes one; buckets refill at
 * `perSecond`. `take` answers how many seconds to wait when the bucket is empty.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(readonly now: () => number) {}

  /** 0 when the request may go ahead, else the whole seconds until it may. */
  take(key: string, limit: RateLimit): number {
    const now = this.now();
    const bucket = this.#buckets.get(key) ?? { tokens: limit.burst, at: now };
    const refilled = Math.min(
      limit.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond,
    );
    if (refilled >= 1) {
      this.#buckets.set(key, { tokens: refilled - 1, at: now });
      return 0;
    }
    this.#buckets.set(key, { tokens: refilled, at: now });
    return Math.max(1, Math.ceil((1 - refilled) / limit.perSecond));
  }
}
