import type { VerdictSeries } from "../evaluation/verdict-series.js";
import type { BurnRateRule, LowVolume } from "../spec/alert-policy.js";

/** What one rule sees as of an instant. */
export interface BurnCondition {
  readonly holds: boolean;
  readonly longBurn: number;
  readonly shortBurn: number;
  /** Bad verdicts in the long window. */
  readonly longBad: number;
  /** Verdicts in the long window. */
  readonly longEligible: number;
}

const EPSILON = 1e-9;

/**
 * Evaluates a burn-rate rule as of `at` over verdicts known in (at − window, at]. With the
 * low-volume guards on, a long window holding fewer than `minAttempts` verdicts reaches back
 * to the last `minAttempts` (never past `oldest`, the start of the SLO window), a short window
 * to the last verdict, and the rule needs `minBadAttempts` bad verdicts in its long window.
 * Burn rates count attempts: (bad / eligible) / (1 − target).
 */
export function burnCondition(
  series: VerdictSeries,
  rule: BurnRateRule,
  lowVolume: LowVolume,
  allowed: number,
  at: number,
  oldest: number,
): BurnCondition {
  const end = series.knownBy(at);
  const floor = series.knownBy(oldest);
  let longFrom = series.knownBy(at - rule.longWindowMs);
  let shortFrom = series.knownBy(at - rule.shortWindowMs);
  if (lowVolume.minAttempts > 0) {
    longFrom = Math.max(floor, Math.min(longFrom, end - lowVolume.minAttempts));
    shortFrom = Math.max(floor, Math.min(shortFrom, end - 1));
  }
  const longEligible = end - longFrom;
  const shortEligible = end - shortFrom;
  const longBad = series.bad(longFrom, end);
  const shortBad = series.bad(shortFrom, end);
  const longBurn = longEligible === 0 ? 0 : longBad / longEligible / allowed;
  const shortBurn = shortEligible === 0 ? 0 : shortBad / shortEligible / allowed;
  const threshold = rule.factor * (1 - EPSILON);
  return {
    holds:
      longBad >= lowVolume.minBadAttempts &&
      longBad > 0 &&
      longBurn >= threshold &&
      shortBurn >= threshold,
    longBurn,
    shortBurn,
    longBad,
    longEligible,
  };
}
