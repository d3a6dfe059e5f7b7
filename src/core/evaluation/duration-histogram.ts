export interface DurationHistogram {
  /** Bin i counts durations in [edges[i], edges[i + 1]) seconds; the last bin is closed. */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
  /** Durations above the last edge. */
  readonly overflow: number;
  readonly thresholdSeconds: number;
  readonly total: number;
}

/** A bin width that reads well: 1, 2 or 5 × a power of ten (seconds). */
function niceWidth(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (step * power >= raw) return step * power;
  return 10 * power;
}

/**
 * Equal-width bins over [0, upper] seconds, where upper covers twice the threshold or the p99
 * of `durationsMs`, whichever is larger, so the threshold always falls inside the chart and a
 * heavy tail beyond the p99 goes to `overflow` instead of squashing the bins.
 */
export function durationHistogram(
  durationsMs: readonly number[],
  thresholdMs: number,
  bins = 40,
): DurationHistogram {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const p99 = sorted.length === 0 ? 0 : (sorted[Math.ceil(0.99 * sorted.length) - 1] ?? 0);
  const upperMs = Math.max(2 * thresholdMs, p99, 1000);
  const width = niceWidth(upperMs / 1000 / bins);
  const count = Math.max(1, Math.ceil(upperMs / 1000 / width));
  const edges = Array.from({ length: count + 1 }, (_, i) => Number((i * width).toPrecision(12)));
  const counts = new Array<number>(count).fill(0);
  let overflow = 0;
  const last = edges[count] ?? 0;
  for (const ms of sorted) {
    const seconds = ms / 1000;
    if (seconds > last) {
      overflow++;
      continue;
    }
    const bin = Math.min(count - 1, Math.floor(seconds / width));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return { edges, counts, overflow, thresholdSeconds: thresholdMs / 1000, total: sorted.length };
}
