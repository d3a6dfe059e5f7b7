import { burnLookbacks } from "../evaluation/burn-lookbacks.js";
import type { Slo } from "../spec/slo.js";
import { alertHorizon } from "./alert-evaluator.js";

/**
 * The last millisecond of a 31-day month that ends a Sunday-to-Sunday week: as late in a
 * calendar month and week as an instant can be, so the reach found there bounds every other.
 */
const LATEST_IN_PERIOD = Date.UTC(2027, 0, 31, 23, 59, 59, 999);

/**
 * How far back from an instant `at` an evaluation of `slo` as of `at` (its status, burn rates,
 * forecast and alert rules) can look: an attempt whose outcome was known before
 * `at − sloReach(slo)` counts in none of them. What a replica must hold in memory.
 */
export function sloReach(slo: Slo): number {
  const at = LATEST_IN_PERIOD;
  let reach = at - alertHorizon(slo, at);
  for (const lookback of burnLookbacks(slo)) reach = Math.max(reach, lookback.ms);
  return reach + 1;
}

/** The longest sloReach of `slos` (0 for none). */
export function longestReach(slos: readonly Slo[]): number {
  let reach = 0;
  for (const slo of slos) reach = Math.max(reach, sloReach(slo));
  return reach;
}
