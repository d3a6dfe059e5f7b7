import type { AttemptTables } from "./attempt-tables.js";
import { formatDuration } from "./duration.js";
import { exactRatio } from "./exact-ratio.js";
import { forecastExhaustion } from "./forecast-exhaustion.js";
import { maxOf, selectRank } from "./select-rank.js";
import { selectorMatcher } from "./selector-matcher.js";
import type { Slo } from "./slo.js";
import { BURN_LOOKBACKS, type SloStatus } from "./slo-status.js";
import { SUBJECT, type SubjectOutcome } from "./subject-outcome.js";
import { firstStartingAt, SubjectTable } from "./subject-table.js";
import { formatTimestamp } from "./timestamp.js";
import { emptyVerdict, judge, VERDICT } from "./verdict.js";
import { windowBounds } from "./window-bounds.js";

const EMPTY_TABLE = new SubjectTable();

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
  // Stage runs and dependency samples belong to an attempt that may have been replaced.
  const isStage = slo.indicator.kind !== "deployment";
  const generationOf = tables.deployments.generation;
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

  const { start, stop, end, outcome, owner, generation } = table;
  const { offsets, rows, maxSpan, earliestOpen } = table.rowsBySeries(tables.series.length);
  // A row whose outcome was known by `horizon` adds nothing: its verdict is older than the
  // window and every lookback, its violation ended before them, and it is not in progress.
  const verdictAfter = bounds.verdictAfter;
  const windowStart = bounds.start;
  const lb3 = lookbackStart[3] ?? at;
  const horizon = Math.min(verdictAfter, windowStart, lb3);
  for (let s = 0; s < seriesMatch.length; s++) {
    if (seriesMatch[s] === 0) continue;
    const last = offsets[s + 1] ?? 0;
    const lowest = Math.min(horizon - (maxSpan[s] ?? 0), earliestOpen[s] ?? 0);
    for (let r = firstStartingAt(rows, offsets[s] ?? 0, last, start, lowest); r < last; r++) {
      const i = rows[r] ?? 0;
      if ((start[i] ?? 0) > at) break;
      if (isStage && generation[i] !== generationOf[owner[i] ?? 0]) continue;
      judge(
        v,
        (outcome[i] ?? SUBJECT.inProgress) as SubjectOutcome,
        start[i] ?? 0,
        stop[i] ?? 0,
        end[i] ?? 0,
        t,
        at,
      );
      if (v.kind === VERDICT.none) continue;
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
    }
  }

  // Ranks selected in increasing order: each selection leaves the values above its rank to the right.
  let from = 0;
  const rank = (p: number): number | null => {
    if (durations === 0) return null;
    const k = Math.floor((p * durations + 99) / 100) - 1;
    const value = selectRank(scratch, from, durations, k);
    from = k;
    return value / 1000;
  };
  const p50 = rank(PERCENTILES[0]);
  const p90 = rank(PERCENTILES[1]);
  const p95 = rank(PERCENTILES[2]);
  const p99 = rank(PERCENTILES[3]);
  const percentiles = {
    p50,
    p90,
    p95,
    p99,
    max: durations === 0 ? null : maxOf(scratch, from, durations) / 1000,
  };

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
