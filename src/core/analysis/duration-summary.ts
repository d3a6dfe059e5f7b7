import { nearestRank } from "../primitives/percentile.js";

/** Nearest-rank percentiles of a set of durations, in seconds (null when there are none). */
export interface DurationSummary {
  readonly count: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

/** Summarises ascending durations in ms by the product's percentile rule (docs/semantics.md). */
export function durationSummary(sortedMs: ArrayLike<number>): DurationSummary {
  const at = (p: number) => {
    const value = nearestRank(sortedMs, sortedMs.length, p);
    return value === undefined ? null : value / 1000;
  };
  const last = sortedMs[sortedMs.length - 1];
  return {
    count: sortedMs.length,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    max: last === undefined ? null : last / 1000,
  };
}
