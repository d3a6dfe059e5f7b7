import { formatDuration } from "../primitives/duration.js";
import type { Slo } from "../spec/slo.js";

/** A span before `at` that a burn rate is measured over, named as in `burnRates`. */
export interface BurnLookback {
  readonly key: string;
  readonly ms: number;
}

/**
 * The lookbacks every status reports, whatever the SLO's alerting: the status contract, the
 * CLI's table, the dashboard and the `slo_burn_rate` metric name them, and the forecast
 * reads 3d. Equal to the long windows of the default rules of a 30-day window, plus 1d.
 */
export const STATUS_LOOKBACKS: readonly BurnLookback[] = Object.freeze([
  { key: "1h", ms: 3_600_000 },
  { key: "6h", ms: 21_600_000 },
  { key: "1d", ms: 86_400_000 },
  { key: "3d", ms: 259_200_000 },
]);

/**
 * The lookbacks of an SLO's status, shortest first: those above and the long window of each
 * of its burn-rate rules, so that the status shows the rate each alert rule compares with its
 * factor. For a 30-day window with the default rules (1h, 6h, 3d) these are the four above.
 */
export function burnLookbacks(slo: Slo): readonly BurnLookback[] {
  const known = LOOKBACKS.get(slo);
  if (known !== undefined) return known;
  const byMs = new Map(STATUS_LOOKBACKS.map((lookback) => [lookback.ms, lookback]));
  for (const rule of slo.alerting.rules)
    if (rule.longWindowMs > 0 && !byMs.has(rule.longWindowMs))
      byMs.set(rule.longWindowMs, {
        key: formatDuration(rule.longWindowMs),
        ms: rule.longWindowMs,
      });
  const lookbacks = Object.freeze([...byMs.values()].sort((a, b) => a.ms - b.ms));
  LOOKBACKS.set(slo, lookbacks);
  return lookbacks;
}

/** Every evaluation asks again (a thousand SLOs per status); SLOs never change once parsed. */
const LOOKBACKS = new WeakMap<Slo, readonly BurnLookback[]>();
