/** A number in [0, 1); spreads retries, drives simulations. Injected so that tests can pin it. */
export type Random = () => number;

/** Math.random: the only unseeded source; everything else draws from a seeded one. */
export const systemRandom: Random = () => Math.random();

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

/** Hashes the seed (low and high 32 bits separately) with the murmur3 finaliser. */
function scrambleSeed(seed: number): number {
  const n = Number.isFinite(seed) ? Math.trunc(seed) : 0;
  const low = n | 0;
  const high = Math.floor(n / TWO_POW_32) | 0;
  return fmix32(fmix32((low + 0x9e3779b9) | 0) ^ high);
}

function fmix32(x: number): number {
  let h = x;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}
