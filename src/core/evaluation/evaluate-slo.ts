import { formatDuration } from "../primitives/duration.js";
import { exactRatio } from "../primitives/exact-ratio.js";
import { maxOf, selectRank } from "../primitives/select-rank.js";
import { formatTimestamp } from "../primitives/timestamp.js";
import type { Slo } from "../spec/slo.js";
import { windowBounds } from "../spec/window-bounds.js";
import type { AttemptTables } from "./attempt-tables.js";
import { BURN_LOOKBACKS, type SloStatus } from "./evaluation-result.js";
import { forecastExhaustion } from "./forecast-exhaustion.js";
import { selectorMatcher } from "./selector-matcher.js";
import { type BucketAggregate, countAbove, kthOfTwo } from "./slo-buckets.js";
import { SUBJECT, type SubjectOutcome } from "./subject-outcome.js";
import { firstStartingAt, SubjectTable } from "./subject-table.js";
import { emptyVerdict, judge, VERDICT } from "./verdict.js";

const EMPTY_TABLE = new SubjectTable();
const EMPTY_DURATIONS = new Float64Array(0);

function formatNullable(ms: number | null): string | null {
  return ms === null ? null : formatTimestamp(ms);
}
const PERCENTILES = [50, 90, 95, 99] as const;

/** Reusable buffer for durations; one per process so memory does not grow with SLO count. */
let scratch = new Float64Array(1024);

function overlap(from: number, to: number, windowStart: number, windowEnd: number): number {
  const a = Math.max(from, windowStart);
  const b = Math.min(to, windowEnd);
  return b > a ? b - a : 0;
}

/**
 * Evaluates one SLO over the attempts in `tables` as of `at` (epoch ms), by the rules in
 * docs/semantics.md. Counting is exact (integers); every ratio is divided once at the end.
 */
export function evaluateSlo(slo: Slo, tables: AttemptTables, at: number): SloStatus {
  const table = tables.tableFor(slo.indicator) ?? EMPTY_TABLE;
  const matches = selectorMatcher(slo.selector);
  const seriesMatch = new Uint8Array(tables.series.length);
  for (let s = 0; s < tables.series.length; s++) {
    const series = tables.series[s];
    seriesMatch[s] = series !== undefined && matches(series) ? 1 : 0;
  }

  const t = slo.objective.thresholdMs;
  const bounds = windowBounds(slo.window, at);
  const excess = slo.budgeting === "excess-time";
  const lookbackStart = BURN_LOOKBACKS.map(([, ms]) => at - ms);
  const lookbackEligible = [0, 0, 0, 0];
  const lookbackBad = [0, 0, 0, 0];
  const lookbackConsumed = [0, 0, 0, 0];
  let good = 0;
  let bad = 0;
  let inProgress = 0;
  let consumedMs = 0;
  let durations = 0;
  const v = emptyVerdict();

  const { start, stop, end, outcome } = table;
  const index = table.rowsBySeries(tables.series.length);
  const { offsets, rows, maxSpan, earliestOpen } = index;
  // A row whose outcome was known by `horizon` adds nothing: its verdict is older than the
  // window and every lookback, its violation ended before them, and it is not in progress.
  const verdictAfter = bounds.verdictAfter;
  const windowStart = bounds.start;
  const lb3 = lookbackStart[3] ?? at;
  const horizon = Math.min(verdictAfter, windowStart, lb3);

  const visit = (i: number): void => {
    judge(
      v,
      (outcome[i] ?? SUBJECT.inProgress) as SubjectOutcome,
      start[i] ?? 0,
      stop[i] ?? 0,
      end[i] ?? 0,
      t,
      at,
    );
    if (v.kind === VERDICT.none) return;
    if (v.inProgress) inProgress++;
    const kind = v.kind;
    if (kind === VERDICT.good || kind === VERDICT.bad) {
      const isBad = kind === VERDICT.bad;
      const verdictAt = v.at;
      if (verdictAt > verdictAfter) {
        if (isBad) bad++;
        else good++;
        if (!Number.isNaN(v.durationMs)) {
          if (durations === scratch.length) {
            const grown = new Float64Array(scratch.length * 2);
            grown.set(scratch);
            scratch = grown;
          }
          scratch[durations++] = v.durationMs;
        }
      }
      // The lookbacks nest (1h ⊂ 6h ⊂ 1d ⊂ 3d): most verdicts are older than all of them.
      if (verdictAt > lb3) {
        lookbackEligible[3] = (lookbackEligible[3] ?? 0) + 1;
        if (isBad) lookbackBad[3] = (lookbackBad[3] ?? 0) + 1;
        for (let k = 2; k >= 0 && verdictAt > (lookbackStart[k] ?? 0); k--) {
          lookbackEligible[k] = (lookbackEligible[k] ?? 0) + 1;
          if (isBad) lookbackBad[k] = (lookbackBad[k] ?? 0) + 1;
        }
      }
    }
    if (excess && v.violationEnd > v.violationStart) {
      const from = v.violationStart;
      const to = v.violationEnd;
      consumedMs += overlap(from, to, windowStart, at);
      if (to > lb3) {
        for (let k = 0; k < 4; k++) {
          lookbackConsumed[k] =
            (lookbackConsumed[k] ?? 0) + overlap(from, to, lookbackStart[k] ?? 0, at);
        }
      }
    }
  };

  // Whole buckets [firstBucket, endBucket) lie inside the window and end by `at`: their settled
  // rows come from the SLO's aggregates, and only rows starting outside them are scanned.
  const buckets = tables.bucketsFor(slo);
  const width = table.bucketMs ?? 1;
  const firstBucket = Math.ceil((verdictAfter + 1) / width);
  const endBucket = Math.floor((at + 1) / width);
  const aggregated = buckets !== undefined && endBucket > firstBucket;
  const scanStop = aggregated ? firstBucket * width : Number.POSITIVE_INFINITY;
  const scanResume = aggregated ? endBucket * width : Number.POSITIVE_INFINITY;
  for (let s = 0; s < seriesMatch.length; s++) {
    if (seriesMatch[s] === 0) continue;
    const first = offsets[s] ?? 0;
    const last = offsets[s + 1] ?? 0;
    const lowest = Math.min(horizon - (maxSpan[s] ?? 0), earliestOpen[s] ?? 0);
    let r = firstStartingAt(rows, first, last, start, lowest);
    for (; r < last; r++) {
      const i = rows[r] ?? 0;
      const begin = start[i] ?? 0;
      if (begin > at) break;
      if (begin >= scanStop) {
        r = firstStartingAt(rows, r, last, start, scanResume);
        break;
      }
      visit(i);
    }
    for (; r < last; r++) {
      const i = rows[r] ?? 0;
      if ((start[i] ?? 0) > at) break;
      visit(i);
    }
  }

  let merged: Float64Array = EMPTY_DURATIONS;
  if (aggregated) {
    const parts: BucketAggregate[] = [];
    for (let b = firstBucket; b < endBucket; b++) {
      const part = buckets.bucket(b, table, index, seriesMatch, t);
      parts.push(part);
      const bucketStart = b * width;
      const bucketLast = bucketStart + width - 1;
      const goodCount = part.goodAt.length;
      const badCount = part.badAt.length;
      good += goodCount;
      bad += badCount;
      if (excess) consumedMs += part.violationMs;
      for (let k = 0; k < 4; k++) {
        const from = lookbackStart[k] ?? 0;
        if (bucketLast <= from) continue;
        if (bucketStart > from) {
          lookbackEligible[k] = (lookbackEligible[k] ?? 0) + goodCount + badCount;
          lookbackBad[k] = (lookbackBad[k] ?? 0) + badCount;
          if (excess) lookbackConsumed[k] = (lookbackConsumed[k] ?? 0) + part.violationMs;
          continue;
        }
        // The lookback starts inside the bucket: count what is after its start.
        const badAfter = countAbove(part.badAt, from);
        lookbackEligible[k] = (lookbackEligible[k] ?? 0) + countAbove(part.goodAt, from) + badAfter;
        lookbackBad[k] = (lookbackBad[k] ?? 0) + badAfter;
        if (excess) {
          let sum = 0;
          for (let j = 0; j < part.violationTo.length; j++) {
            sum += overlap(part.violationFrom[j] ?? 0, part.violationTo[j] ?? 0, from, at);
          }
          lookbackConsumed[k] = (lookbackConsumed[k] ?? 0) + sum;
        }
      }
      for (let j = 0; j < part.late.length; j++) visit(part.late[j] ?? 0);
    }
    merged = buckets.durations(firstBucket, endBucket, parts);
    buckets.forgetBefore(firstBucket - 1);
  }

  // With aggregates, the scanned durations are sorted and merged with the buckets' by rank;
  // without, ranks are selected in increasing order, each selection leaving the values above
  // its rank to the right.
  const total = durations + merged.length;
  let percentiles: SloStatus["percentiles"];
  if (total === 0) {
    percentiles = { p50: null, p90: null, p95: null, p99: null, max: null };
  } else if (merged.length > 0) {
    const own = scratch.subarray(0, durations).sort();
    const rank = (p: number): number =>
      kthOfTwo(merged, merged.length, own, durations, Math.floor((p * total + 99) / 100) - 1) /
      1000;
    percentiles = {
      p50: rank(PERCENTILES[0]),
      p90: rank(PERCENTILES[1]),
      p95: rank(PERCENTILES[2]),
      p99: rank(PERCENTILES[3]),
      max:
        Math.max(
          merged[merged.length - 1] ?? Number.NEGATIVE_INFINITY,
          own[durations - 1] ?? Number.NEGATIVE_INFINITY,
        ) / 1000,
    };
  } else {
    let from = 0;
    const rank = (p: number): number => {
      const k = Math.floor((p * durations + 99) / 100) - 1;
      const value = selectRank(scratch, from, durations, k);
      from = k;
      return value / 1000;
    };
    const p50 = rank(PERCENTILES[0]);
    const p90 = rank(PERCENTILES[1]);
    const p95 = rank(PERCENTILES[2]);
    const p99 = rank(PERCENTILES[3]);
    percentiles = { p50, p90, p95, p99, max: maxOf(scratch, from, durations) / 1000 };
  }

  const eligible = good + bad;
  const { units, scale } = slo.objective.target;
  const allowed = scale - units; // budget fraction (1 − target) = allowed / scale
  const burnRates: Record<string, number> = {};

  let errorBudget: SloStatus["errorBudget"];
  let compliance: number | null;
  let met: boolean;
  if (!excess) {
    const totalScaled = allowed * BigInt(eligible); // total × scale
    const remainingScaled = totalScaled - BigInt(bad) * scale;
    compliance = eligible === 0 ? null : good / eligible;
    met = eligible === 0 || BigInt(good) * scale >= units * BigInt(eligible);
    errorBudget = {
      total: exactRatio(totalScaled, scale),
      consumed: bad,
      remaining: exactRatio(remainingScaled, scale),
      remainingRatio: totalScaled === 0n ? 1 : exactRatio(remainingScaled, totalScaled),
      unit: "attempts",
      perAttemptSeconds: null,
    };
    BURN_LOOKBACKS.forEach(([key], k) => {
      const e = lookbackEligible[k] ?? 0;
      burnRates[key] =
        e === 0 ? 0 : exactRatio(BigInt(lookbackBad[k] ?? 0) * scale, BigInt(e) * allowed);
    });
    burnRates.window = eligible === 0 ? 0 : exactRatio(BigInt(bad) * scale, totalScaled);
  } else {
    const lengthMs = BigInt(bounds.lengthMs);
    const totalScaledMs = allowed * lengthMs; // total (ms) × scale
    const consumed = BigInt(consumedMs);
    const remainingScaledMs = totalScaledMs - consumed * scale;
    // Concurrent attempts can together overrun the window; compliance stops at 0.
    compliance = consumed >= lengthMs ? 0 : exactRatio(lengthMs - consumed, lengthMs);
    met = consumed * scale <= totalScaledMs;
    errorBudget = {
      total: exactRatio(totalScaledMs, scale * 1000n),
      consumed: consumedMs / 1000,
      remaining: exactRatio(remainingScaledMs, scale * 1000n),
      remainingRatio: exactRatio(remainingScaledMs, totalScaledMs),
      unit: "seconds",
      perAttemptSeconds:
        eligible === 0 ? null : exactRatio(totalScaledMs, scale * 1000n * BigInt(eligible)),
    };
    BURN_LOOKBACKS.forEach(([key, ms], k) => {
      burnRates[key] = exactRatio(BigInt(lookbackConsumed[k] ?? 0) * scale, allowed * BigInt(ms));
    });
    burnRates.window = exactRatio(consumed * scale, totalScaledMs);
  }

  return {
    name: slo.name,
    description: slo.description,
    indicator:
      slo.indicator.kind === "stage"
        ? { type: "stage", stage: slo.indicator.stage }
        : slo.indicator.kind === "dependency"
          ? { type: "dependency", dependency: slo.indicator.dependency }
          : { type: "deployment" },
    window: {
      kind: slo.window.kind,
      length: slo.window.kind === "rolling" ? formatDuration(slo.window.ms) : slo.window.unit,
      start: formatTimestamp(bounds.start),
      end: formatTimestamp(bounds.end),
      lengthSeconds: bounds.lengthMs / 1000,
    },
    thresholdSeconds: t / 1000,
    target: exactRatio(units, scale),
    percentile: slo.objective.percentile,
    budgeting: slo.budgeting,
    eligible,
    good,
    bad,
    inProgress,
    compliance,
    met,
    errorBudget,
    burnRates: burnRates as SloStatus["burnRates"],
    forecast: {
      exhaustsAt: formatNullable(
        forecastExhaustion(
          errorBudget.remainingRatio,
          burnRates["3d"] ?? 0,
          bounds.lengthMs,
          at,
          bounds.periodEnd,
        ),
      ),
    },
    percentiles,
  };
}
