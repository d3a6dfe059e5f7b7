/**
 * Rearranges `values[from..to)` so that `values[k]` holds the value a full ascending sort would
 * put there, everything before it is ≤ and everything after it ≥ (quickselect with a
 * median-of-three pivot, falling back to sorting the remaining range when partitioning keeps
 * going badly). Expected O(n): percentiles need four ranks, not a sorted array.
 */
export function selectRank(values: Float64Array, from: number, to: number, k: number): number {
  let lo = from;
  let hi = to - 1;
  let budget = 2 * Math.ceil(Math.log2(to - from + 1)) + 8;
  while (hi > lo) {
    if (budget-- === 0) {
      values.subarray(lo, hi + 1).sort();
      break;
    }
    const mid = lo + ((hi - lo) >> 1);
    const a = values[lo] ?? 0;
    const b = values[mid] ?? 0;
    const c = values[hi] ?? 0;
    // The median of the three: max(min(a, b), min(max(a, b), c)).
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] ?? 0) < pivot) i++;
      while ((values[j] ?? 0) > pivot) j--;
      if (i <= j) {
        const swap = values[i] ?? 0;
        values[i] = values[j] ?? 0;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k] ?? 0;
}

/** The maximum of `values[from..to)`. */
export function maxOf(values: Float64Array, from: number, to: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = from; i < to; i++) {
    const v = values[i] ?? 0;
    if (v > max) max = v;
  }
  return max;
}
