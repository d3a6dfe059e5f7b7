/**
 * When the error budget would be spent at the current burn rate, in epoch ms; null when never.
 * A burn rate of b spends b / window of the budget per unit of time, so what remains lasts
 * remainingRatio × window / b. In a rolling window a steady burn of at most 1 never spends
 * the whole budget (old verdicts leave as fast as new ones come), so that is "never"; in a
 * calendar window the budget starts afresh at `periodEnd`, so later instants are "never" too.
 * An overspent budget is exhausted already: the result is `at`.
 */
export function forecastExhaustion(
  remainingRatio: number,
  burnRate: number,
  windowMs: number,
  at: number,
  periodEnd: number | null,
): number | null {
  if (remainingRatio <= 0) return at;
  if (burnRate <= 0) return null;
  if (periodEnd === null && burnRate <= 1) return null;
  const exhaustsAt = at + Math.ceil((remainingRatio * windowMs) / burnRate);
  if (periodEnd !== null && exhaustsAt >= periodEnd) return null;
  return exhaustsAt;
}
