/**
 * Nearest-rank percentile of ascending `sorted[0..count)`: the value at 1-based rank
 * ⌈p·n/100⌉, computed in integers. `undefined` when count is 0.
 *
 * @example nearestRank(Float64Array.of(1, 2, 3, 4), 4, 50) === 2
 */
export function nearestRank(
  sorted: ArrayLike<number>,
  count: number,
  percentile: number,
): number | undefined {
  if (!Number.isInteger(percentile) || percentile <= 0 || percentile > 100) {
    throw new RangeError(`nearestRank: percentile must be an integer in 1..100, got ${percentile}`);
  }
  if (count === 0) return undefined;
  const rank = Math.floor((percentile * count + 99) / 100);
  return sorted[rank - 1];
}
