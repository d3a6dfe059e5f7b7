/**
 * A tiny, deterministic pseudo-random number generator and the few distributions the sample
 * history generator needs. Never use `Math.random` in sample data: the same seed must always
 * produce byte-identical output (tests, examples and benchmarks depend on it).
 *
 * `Math.log`, `Math.exp`, `Math.cos` and `Math.sqrt` are deterministic in V8 (fdlibm ports), so
 * the derived distributions are as reproducible as the underlying generator.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

const TWO_POW_32 = 4294967296;

/**
 * mulberry32: a 32-bit state generator, fast and good enough for simulation (not for
 * cryptography). The seed is scrambled first so that nearby seeds (1, 2, 3…) yield unrelated
 * streams. Any finite number is accepted; fractional seeds are truncated.
 */
export function seededRandom(seed: number): Random {
  let state = scrambleSeed(seed);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / TWO_POW_32;
  };
}

/** splitmix32-style finaliser applied to the seed (also folds the high bits of large seeds in). */
function scrambleSeed(seed: number): number {
  const n = Number.isFinite(seed) ? Math.trunc(seed) : 0;
  let h = (n ^ Math.floor(n / TWO_POW_32)) | 0;
  h = (h + 0x9e3779b9) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

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

/** Standard normal draw (Box–Muller; one draw per call, no cached spare to keep state simple). */
export function standardNormal(rand: Random): number {
  const u1 = 1 - rand(); // (0, 1]: avoids log(0)
  const u2 = rand();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

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

/**
 * Poisson draw. Knuth's multiplication method for small means, a rounded normal approximation
 * above 30 (plenty for arrival counts).
 */
export function poisson(rand: Random, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean > 30) {
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * standardNormal(rand)));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k += 1;
    p *= rand();
  }
  return k;
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
