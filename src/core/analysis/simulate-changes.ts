import type { Attempt } from "../attempt/attempt.js";
import { subjectOfOutcome } from "../evaluation/subject-outcome.js";
import { emptyVerdict, judge, VERDICT } from "../evaluation/verdict.js";
import { nearestRank } from "../primitives/percentile.js";
import { type DurationSummary, durationSummary } from "./duration-summary.js";
import { replayDurationMs, type WhatIfChange } from "./what-if-change.js";

/** A source of uniform numbers in [0, 1) (the context's, seeded for reproducible runs). */
export type Uniform = () => number;

/** A statistic's value and its 90% interval (5th to 95th percentile over the resamples). */
export interface Estimate {
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

export interface PeriodPrediction {
  readonly p50: Estimate;
  readonly p95: Estimate;
  readonly p99: Estimate;
  readonly compliance: Estimate;
}

export interface PeriodActual {
  readonly attempts: number;
  readonly durations: DurationSummary;
  readonly compliance: number | null;
}

export interface Simulation {
  readonly attempts: number;
  readonly served: number;
  readonly thresholdSeconds: number;
  readonly resamples: number;
  readonly interval: 0.9;
  readonly before: PeriodActual;
  /** The history with every change applied to each attempt that served. */
  readonly after: PeriodActual;
  /** What a period like the history would show after the changes, with 90% intervals. */
  readonly predicted: PeriodPrediction;
}

/** One attempt reduced to what the simulation needs: its verdict and its duration. */
interface Subject {
  readonly durationMs: number | null;
  readonly verdict: number;
}

const verdictScratch = emptyVerdict();

function subjectOf(attempt: Attempt, durationMs: number | null, thresholdMs: number): Subject {
  const servingAt = durationMs === null ? Number.NaN : attempt.startedAt + durationMs;
  judge(
    verdictScratch,
    subjectOfOutcome(attempt.outcome),
    attempt.startedAt,
    servingAt,
    attempt.endedAt ?? Number.NaN,
    thresholdMs,
    Number.POSITIVE_INFINITY,
  );
  return {
    durationMs: attempt.outcome === "succeeded" ? durationMs : null,
    verdict: verdictScratch.kind,
  };
}

/** Attempts whose end is recorded: in-progress ones say nothing about a whole deployment. */
export function endedAttempts(attempts: readonly Attempt[]): Attempt[] {
  return attempts.filter(
    (a) =>
      a.outcome !== "in_progress" && (a.outcome === "succeeded" ? a.servingAt : a.endedAt) !== null,
  );
}

function actual(subjects: readonly Subject[]): PeriodActual {
  const durations: number[] = [];
  let good = 0;
  let bad = 0;
  for (const s of subjects) {
    if (s.durationMs !== null) durations.push(s.durationMs);
    if (s.verdict === VERDICT.good) good++;
    else if (s.verdict === VERDICT.bad) bad++;
  }
  return {
    attempts: subjects.length,
    durations: durationSummary(durations.sort((a, b) => a - b)),
    compliance: good + bad === 0 ? null : good / (good + bad),
  };
}

function interval(values: number[], point: number | null): Estimate {
  values.sort((a, b) => a - b);
  return {
    value: point,
    low: nearestRank(values, values.length, 5) ?? null,
    high: nearestRank(values, values.length, 95) ?? null,
  };
}

/**
 * Predicts the statistics of a period of `size` attempts drawn like `subjects`, by a two-stage
 * bootstrap that keeps each attempt whole: each round resamples the history (the uncertainty
 * of what it says), then draws the period from that resample (the period's own chance).
 */
function predict(
  subjects: readonly Subject[],
  size: number,
  rounds: number,
  random: Uniform,
): PeriodPrediction {
  const n = subjects.length;
  const p50: number[] = [];
  const p95: number[] = [];
  const p99: number[] = [];
  const compliance: number[] = [];
  const history = new Int32Array(n);
  const durations = new Float64Array(size);
  for (let round = 0; round < rounds && n > 0; round++) {
    for (let i = 0; i < n; i++) history[i] = Math.floor(random() * n);
    let served = 0;
    let good = 0;
    let bad = 0;
    for (let i = 0; i < size; i++) {
      const s = subjects[history[Math.floor(random() * n)] ?? 0];
      if (s === undefined) continue;
      if (s.durationMs !== null) durations[served++] = s.durationMs;
      if (s.verdict === VERDICT.good) good++;
      else if (s.verdict === VERDICT.bad) bad++;
    }
    const sorted = durations.subarray(0, served).sort();
    const at = (p: number) => nearestRank(sorted, served, p);
    const v50 = at(50);
    if (v50 !== undefined) p50.push(v50 / 1000);
    const v95 = at(95);
    if (v95 !== undefined) p95.push(v95 / 1000);
    const v99 = at(99);
    if (v99 !== undefined) p99.push(v99 / 1000);
    if (good + bad > 0) compliance.push(good / (good + bad));
  }
  const point = actual(subjects);
  return {
    p50: interval(p50, point.durations.p50),
    p95: interval(p95, point.durations.p95),
    p99: interval(p99, point.durations.p99),
    compliance: interval(compliance, point.compliance),
  };
}

export interface SimulateInput {
  readonly attempts: readonly Attempt[];
  readonly changes: readonly WhatIfChange[];
  readonly thresholdMs: number;
  readonly resamples: number;
  readonly random: Uniform;
}

/**
 * What-if: each attempt that served is replayed with the changes (replayDurationMs), the rest
 * keep their outcome; the changed history is then resampled to predict the distribution and
 * the compliance of a period of as many attempts, with 90% intervals.
 */
export function simulateChanges(input: SimulateInput): Simulation {
  const attempts = endedAttempts(input.attempts);
  const before = attempts.map((a) =>
    subjectOf(a, a.servingAt === null ? null : a.servingAt - a.startedAt, input.thresholdMs),
  );
  const after = attempts.map((a) =>
    subjectOf(a, replayDurationMs(a, input.changes), input.thresholdMs),
  );
  return {
    attempts: attempts.length,
    served: after.filter((s) => s.durationMs !== null).length,
    thresholdSeconds: input.thresholdMs / 1000,
    resamples: input.resamples,
    interval: 0.9,
    before: actual(before),
    after: actual(after),
    predicted: predict(after, after.length, input.resamples, input.random),
  };
}

export interface Backtest {
  readonly splitAt: number;
  readonly earlier: PeriodActual;
  readonly later: PeriodActual;
  /** The later period predicted from the earlier one alone (no change). */
  readonly predicted: PeriodPrediction;
  /** Which of the later period's statistics fell inside their predicted interval. */
  readonly inside: {
    readonly p50: boolean;
    readonly p95: boolean;
    readonly p99: boolean;
    readonly compliance: boolean;
  };
}

function within(estimate: Estimate, value: number | null): boolean {
  return (
    value !== null &&
    estimate.low !== null &&
    estimate.high !== null &&
    value >= estimate.low &&
    value <= estimate.high
  );
}

/**
 * Checks the method on the history itself: the attempts started before `splitAt` predict the
 * period from `splitAt` on (as many attempts as it holds), and each of its actual statistics is
 * compared with its interval.
 */
export function backtest(
  input: Omit<SimulateInput, "changes"> & { readonly splitAt: number },
): Backtest {
  const attempts = endedAttempts(input.attempts);
  const toSubject = (a: Attempt) =>
    subjectOf(a, a.servingAt === null ? null : a.servingAt - a.startedAt, input.thresholdMs);
  const earlier = attempts.filter((a) => a.startedAt < input.splitAt).map(toSubject);
  const later = attempts.filter((a) => a.startedAt >= input.splitAt).map(toSubject);
  const predicted = predict(earlier, later.length, input.resamples, input.random);
  const seen = actual(later);
  return {
    splitAt: input.splitAt,
    earlier: actual(earlier),
    later: seen,
    predicted,
    inside: {
      p50: within(predicted.p50, seen.durations.p50),
      p95: within(predicted.p95, seen.durations.p95),
      p99: within(predicted.p99, seen.durations.p99),
      compliance: within(predicted.compliance, seen.compliance),
    },
  };
}
