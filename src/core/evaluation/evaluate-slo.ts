import { formatDuration } from "../primitives/duration.js";
import { exactRatio } from "../primitives/exact-ratio.js";
import { maxOf, selectRank } from "../primitives/select-rank.js";
import { formatTimestamp } from "../primitives/timestamp.js";
import type { Slo } from "../spec/slo.js";
import { windowBounds } from "../spec/window-bounds.js";
import type { AttemptTables } from "./attempt-tables.js";
import { type BurnLookback, burnLookbacks, STATUS_LOOKBACKS } from "./burn-lookbacks.js";
import type { SloStatus } from "./evaluation-result.js";
import { forecastExhaustion } from "./forecast-exhaustion.js";
import { type BucketAggregate, kthOfTwo } from "./slo-buckets.js";
import { DurationBuffer, SloTally } from "./slo-tally.js";
import { firstStartingAt, SubjectTable } from "./subject-table.js";

const EMPTY_TABLE = new SubjectTable();
const EMPTY_DURATIONS = new Float64Array(0);
const PERCENTILES = [50, 90, 95, 99] as const;

type Bounds = ReturnType<typeof windowBounds>;

/** The whole buckets [first, end) inside the window that end by `at`, when there are some. */
function aggregatedSpan(
  slo: Slo,
  tables: AttemptTables,
  table: SubjectTable,
  bounds: Bounds,
  at: number,
) {
  const buckets = tables.bucketsFor(slo);
  const width = table.bucketMs ?? 1;
  const first = Math.ceil((bounds.verdictAfter + 1) / width);
  const end = Math.floor((at + 1) / width);
  return buckets !== undefined && end > first ? { buckets, width, first, end } : undefined;
}

/**
 * Visits the rows of the matching series that can still count as of `at`; rows starting in
 * the aggregated span are skipped (the buckets count them).
 */
function scanRows(
  tally: SloTally,
  table: SubjectTable,
  tables: AttemptTables,
  seriesMatch: Uint8Array,
  span: {
    readonly from: number;
    readonly to: number;
    readonly horizon: number;
    readonly at: number;
  },
): ReturnType<SubjectTable["rowsBySeries"]> {
  const { start } = table;
  const index = table.rowsBySeries(tables.series.length);
  const { offsets, rows, maxSpan, earliestOpen } = index;
  for (let s = 0; s < seriesMatch.length; s++) {
    if (seriesMatch[s] === 0) continue;
    const first = offsets[s] ?? 0;
    const last = offsets[s + 1] ?? 0;
    const lowest = Math.min(span.horizon - (maxSpan[s] ?? 0), earliestOpen[s] ?? 0);
    let r = firstStartingAt(rows, first, last, start, lowest);
    for (; r < last; r++) {
      const i = rows[r] ?? 0;
      const begin = start[i] ?? 0;
      if (begin > span.at) break;
      if (begin >= span.from) {
        r = firstStartingAt(rows, r, last, start, span.to);
        break;
      }
      tally.visit(i);
    }
    for (; r < last; r++) {
      const i = rows[r] ?? 0;
      if ((start[i] ?? 0) > span.at) break;
      tally.visit(i);
    }
  }
  return index;
}

/** p50…p99 and max in seconds, from the scanned durations and the buckets' sorted ones. */
function percentilesOf(scanned: DurationBuffer, merged: Float64Array): SloStatus["percentiles"] {
  const durations = scanned.length;
  const values = scanned.values;
  const total = durations + merged.length;
  if (total === 0) return { p50: null, p90: null, p95: null, p99: null, max: null };
  // With aggregates, the scanned durations are sorted and merged with the buckets' by rank;
  // without, ranks are selected in increasing order, each selection leaving the values above
  // its rank to the right.
  if (merged.length > 0) {
    const own = values.subarray(0, durations).sort();
    const rank = (p: number): number =>
      kthOfTwo(merged, merged.length, own, durations, Math.floor((p * total + 99) / 100) - 1) /
      1000;
    const ownMax = own[durations - 1] ?? Number.NEGATIVE_INFINITY;
    const mergedMax = merged[merged.length - 1] ?? Number.NEGATIVE_INFINITY;
    return {
      p50: rank(PERCENTILES[0]),
      p90: rank(PERCENTILES[1]),
      p95: rank(PERCENTILES[2]),
      p99: rank(PERCENTILES[3]),
      max: Math.max(mergedMax, ownMax) / 1000,
    };
  }
  let from = 0;
  const rank = (p: number): number => {
    const k = Math.floor((p * durations + 99) / 100) - 1;
    const value = selectRank(values, from, durations, k);
    from = k;
    return value / 1000;
  };
  const p50 = rank(PERCENTILES[0]);
  const p90 = rank(PERCENTILES[1]);
  const p95 = rank(PERCENTILES[2]);
  const p99 = rank(PERCENTILES[3]);
  return { p50, p90, p95, p99, max: maxOf(values, from, durations) / 1000 };
}

type Budget = Pick<SloStatus, "compliance" | "met" | "errorBudget" | "burnRates">;

/** Budgeting by occurrences: each bad attempt spends one of (1 − target) × eligible. */
function occurrencesBudget(slo: Slo, tally: SloTally, lookbacks: readonly BurnLookback[]): Budget {
  const { units, scale } = slo.objective.target;
  const allowed = scale - units; // budget fraction (1 − target) = allowed / scale
  const { good, bad } = tally;
  const eligible = good + bad;
  const totalScaled = allowed * BigInt(eligible); // total × scale
  const remainingScaled = totalScaled - BigInt(bad) * scale;
  const burnRates: Record<string, number> = {};
  lookbacks.forEach(({ key }, k) => {
    const e = tally.lookbackEligible[k] ?? 0;
    burnRates[key] =
      e === 0 ? 0 : exactRatio(BigInt(tally.lookbackBad[k] ?? 0) * scale, BigInt(e) * allowed);
  });
  burnRates.window = eligible === 0 ? 0 : exactRatio(BigInt(bad) * scale, totalScaled);
  return {
    compliance: eligible === 0 ? null : good / eligible,
    met: eligible === 0 || BigInt(good) * scale >= units * BigInt(eligible),
    errorBudget: {
      total: exactRatio(totalScaled, scale),
      consumed: bad,
      remaining: exactRatio(remainingScaled, scale),
      remainingRatio: totalScaled === 0n ? 1 : exactRatio(remainingScaled, totalScaled),
      unit: "attempts",
      perAttemptSeconds: null,
    },
    burnRates: inContractOrder(burnRates),
  };
}

/**
 * The status's own lookbacks and the window first, then those of the alert rules, shortest
 * first: the order the contract writes them in, so the CLI's JSON and the API's are the same.
 */
function inContractOrder(rates: Readonly<Record<string, number>>): SloStatus["burnRates"] {
  const fixed = [...STATUS_LOOKBACKS.map((lookback) => lookback.key), "window"];
  const ordered: Record<string, number> = {};
  for (const key of fixed) ordered[key] = rates[key] ?? 0;
  for (const [key, value] of Object.entries(rates)) if (!(key in ordered)) ordered[key] = value;
  return ordered as SloStatus["burnRates"];
}

/** Budgeting by excess time: the time over the threshold spends (1 − target) × window. */
function excessTimeBudget(
  slo: Slo,
  tally: SloTally,
  lookbacks: readonly BurnLookback[],
  bounds: Bounds,
): Budget {
  const { units, scale } = slo.objective.target;
  const allowed = scale - units;
  const eligible = tally.good + tally.bad;
  const lengthMs = BigInt(bounds.lengthMs);
  const totalScaledMs = allowed * lengthMs; // total (ms) × scale
  const consumed = BigInt(tally.consumedMs);
  const remainingScaledMs = totalScaledMs - consumed * scale;
  const burnRates: Record<string, number> = {};
  lookbacks.forEach(({ key, ms }, k) => {
    burnRates[key] = exactRatio(
      BigInt(tally.lookbackConsumed[k] ?? 0) * scale,
      allowed * BigInt(ms),
    );
  });
  burnRates.window = exactRatio(consumed * scale, totalScaledMs);
  return {
    // Concurrent attempts can together overrun the window; compliance stops at 0.
    compliance: consumed >= lengthMs ? 0 : exactRatio(lengthMs - consumed, lengthMs),
    met: consumed * scale <= totalScaledMs,
    errorBudget: {
      total: exactRatio(totalScaledMs, scale * 1000n),
      consumed: tally.consumedMs / 1000,
      remaining: exactRatio(remainingScaledMs, scale * 1000n),
      remainingRatio: exactRatio(remainingScaledMs, totalScaledMs),
      unit: "seconds",
      perAttemptSeconds:
        eligible === 0 ? null : exactRatio(totalScaledMs, scale * 1000n * BigInt(eligible)),
    },
    burnRates: inContractOrder(burnRates),
  };
}

function indicatorOf(slo: Slo): SloStatus["indicator"] {
  if (slo.indicator.kind === "stage") return { type: "stage", stage: slo.indicator.stage };
  if (slo.indicator.kind === "dependency")
    return { type: "dependency", dependency: slo.indicator.dependency };
  if (slo.indicator.kind === "span")
    return { type: "span", from: slo.indicator.from, to: slo.indicator.to };
  return { type: "deployment" };
}

/** The status document, from the counts and the budget. */
function statusOf(
  slo: Slo,
  tally: SloTally,
  budget: Budget,
  percentiles: SloStatus["percentiles"],
  bounds: Bounds,
  at: number,
): SloStatus {
  const exhaustsAt = forecastExhaustion(
    budget.errorBudget.remainingRatio,
    budget.burnRates["3d"] ?? 0,
    bounds.lengthMs,
    at,
    bounds.periodEnd,
  );
  return {
    name: slo.name,
    description: slo.description,
    indicator: indicatorOf(slo),
    window: {
      kind: slo.window.kind,
      length: slo.window.kind === "rolling" ? formatDuration(slo.window.ms) : slo.window.unit,
      start: formatTimestamp(bounds.start),
      end: formatTimestamp(bounds.end),
      lengthSeconds: bounds.lengthMs / 1000,
    },
    thresholdSeconds: slo.objective.thresholdMs / 1000,
    target: exactRatio(slo.objective.target.units, slo.objective.target.scale),
    percentile: slo.objective.percentile,
    budgeting: slo.budgeting,
    eligible: tally.good + tally.bad,
    good: tally.good,
    bad: tally.bad,
    inProgress: tally.inProgress,
    compliance: budget.compliance,
    met: budget.met,
    errorBudget: budget.errorBudget,
    burnRates: budget.burnRates,
    forecast: { exhaustsAt: exhaustsAt === null ? null : formatTimestamp(exhaustsAt) },
    percentiles,
  };
}

/**
 * Evaluates one SLO over the attempts in `tables` as of `at` (epoch ms), by the rules in
 * docs/semantics.md. Counting is exact (integers); every ratio is divided once at the end.
 * `durations` is scratch space a caller evaluating many SLOs may share between them.
 */
export function evaluateSlo(
  slo: Slo,
  tables: AttemptTables,
  at: number,
  durations: DurationBuffer = new DurationBuffer(),
): SloStatus {
  const table = tables.tableFor(slo.indicator) ?? EMPTY_TABLE;
  const bounds = windowBounds(slo.window, at);
  const lookbacks = burnLookbacks(slo);
  const tally = new SloTally(
    {
      table,
      tables,
      thresholdMs: slo.objective.thresholdMs,
      excess: slo.budgeting === "excess-time",
      at,
      verdictAfter: bounds.verdictAfter,
      windowStart: bounds.start,
      lookbacks,
    },
    durations,
  );
  // A row whose outcome was known by `horizon` adds nothing: its verdict is older than the
  // window and every lookback, its violation ended before them, and it is not in progress.
  const horizon = Math.min(bounds.verdictAfter, bounds.start, tally.longestStart);
  const seriesMatch = tables.seriesMatchOf(slo);
  const aggregated = aggregatedSpan(slo, tables, table, bounds, at);
  const index = scanRows(tally, table, tables, seriesMatch, {
    from: aggregated === undefined ? Number.POSITIVE_INFINITY : aggregated.first * aggregated.width,
    to: aggregated === undefined ? Number.POSITIVE_INFINITY : aggregated.end * aggregated.width,
    horizon,
    at,
  });
  let merged: Float64Array = EMPTY_DURATIONS;
  if (aggregated !== undefined) {
    const { buckets, width, first, end } = aggregated;
    const parts: BucketAggregate[] = [];
    for (let b = first; b < end; b++) {
      const part = buckets.bucket(b, table, index, seriesMatch, slo.objective.thresholdMs);
      parts.push(part);
      tally.addBucket(part, b * width, width);
    }
    merged = buckets.durations(first, end, parts);
    buckets.forgetBefore(first - 1);
  }
  const budget =
    slo.budgeting === "excess-time"
      ? excessTimeBudget(slo, tally, lookbacks, bounds)
      : occurrencesBudget(slo, tally, lookbacks);
  return statusOf(slo, tally, budget, percentilesOf(durations, merged), bounds, at);
}
