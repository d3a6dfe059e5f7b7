/**
 * A tiny, deterministic pseudo-random number generator and the few distributions the sample
 * history generator needs. Never use `Math.random` in sample data: the same seed must always
 * produce byte-identical output (tests, examples and benchmarks depend on it).
 *
 * `Math.log`, `Math.exp` and `Math.sqrt` are deterministic in V8 (fdlibm ports and IEEE
 * arithmetic), so the derived distributions are as reproducible as the underlying generator.
 */

import { type Random, seededRandom } from "../clock/random.js";

export { type Random, seededRandom };

const TWO_POW_32 = 4294967296;

/** Uniform number in [min, max). */
export function uniform(rand: Random, min: number, max: number): number {
  return min + (max - min) * rand();
}

/** Uniform integer in [min, max] (both inclusive). */
export function uniformInt(rand: Random, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

/** True with probability `p`. */
export function chance(rand: Random, p: number): boolean {
  return rand() < p;
}

/**
 * Standard normal draw by inversion (Acklam's rational approximation of the normal quantile,
 * relative error below 1.2e-9): exactly one uniform per draw, and no transcendental functions in
 * the central 95%, which keeps million-record generation fast.
 */
export function standardNormal(rand: Random): number {
  // (0, 1): the quantile is infinite at both ends.
  const p = (rand() * TWO_POW_32 + 0.5) / (TWO_POW_32 + 1);
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) /
      ((((D1 * q + D2) * q + D3) * q + D4) * q + 1)
    );
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(
      (((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) /
      ((((D1 * q + D2) * q + D3) * q + D4) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A1 * r + A2) * r + A3) * r + A4) * r + A5) * r + A6) * q) /
    (((((B1 * r + B2) * r + B3) * r + B4) * r + B5) * r + 1)
  );
}

const P_LOW = 0.02425;
const A1 = -3.969683028665376e1;
const A2 = 2.209460984245205e2;
const A3 = -2.759285104469687e2;
const A4 = 1.38357751867269e2;
const A5 = -3.066479806614716e1;
const A6 = 2.506628277459239;
const B1 = -5.447609879822406e1;
const B2 = 1.615858368580409e2;
const B3 = -1.556989798598866e2;
const B4 = 6.680131188771972e1;
const B5 = -1.328068155288572e1;
const C1 = -7.784894002430293e-3;
const C2 = -3.223964580411365e-1;
const C3 = -2.400758277161838;
const C4 = -2.549732539343734;
const C5 = 4.374664141464968;
const C6 = 2.938163982698783;
const D1 = 7.784695709041462e-3;
const D2 = 3.224671290700398e-1;
const D3 = 2.445134137142996;
const D4 = 3.754408661907416;

/**
 * Log-normal draw parameterised by its median (`exp(mu)`) and the standard deviation `sigma`
 * of the underlying normal: p95 ≈ median·e^(1.645σ), p99 ≈ median·e^(2.326σ).
 */
export function lognormal(rand: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * standardNormal(rand));
}

/** Exponential draw with the given mean. */
export function exponential(rand: Random, mean: number): number {
  return -mean * Math.log(1 - rand());
}

/** Picks one item with probability proportional to its weight. */
export function pickWeighted<T>(
  rand: Random,
  items: readonly { readonly weight: number; readonly value: T }[],
): T {
  let total = 0;
  for (const item of items) total += item.weight;
  let r = rand() * total;
  for (const item of items) {
    r -= item.weight;
    if (r < 0) return item.value;
  }
  const last = items[items.length - 1];
  if (last === undefined) throw new RangeError("pickWeighted: no items");
  return last.value;
}

/** Picks one element uniformly. */
export function pickOne<T>(rand: Random, items: readonly T[]): T {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new RangeError("pickOne: no items");
  return item;
}
