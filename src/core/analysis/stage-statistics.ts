import type { Attempt, StageKind } from "../attempt/attempt.js";
import { stageDurationMs } from "../attempt/stage-durations.js";
import { nearestRank } from "../primitives/percentile.js";

export interface StageStatistic {
  readonly stage: string;
  readonly kind: StageKind;
  /** Ended runs of the stage (skipped ones excluded). */
  readonly runs: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  /** Mean time per attempt in this stage (seconds): slow attempts, typical attempts, difference. */
  readonly slowMeanSeconds: number | null;
  readonly typicalMeanSeconds: number | null;
  readonly extraSeconds: number | null;
  /** This stage's part of the positive extra time of slow attempts (0..1); null with no tail. */
  readonly share: number | null;
}

export interface StageStatistics {
  /** Attempts looked at, and those with a deployment duration (they served). */
  readonly attempts: number;
  readonly served: number;
  /** Deployment duration cut-offs (seconds): slow ≥ slowFrom (p95), typical ≤ typicalUpTo (p50). */
  readonly slowFrom: number | null;
  readonly typicalUpTo: number | null;
  readonly slowAttempts: number;
  readonly typicalAttempts: number;
  /** Mean deployment duration of slow minus typical attempts (seconds). */
  readonly deploymentExtraSeconds: number | null;
  readonly stages: readonly StageStatistic[];
}

function percentileOf(sorted: readonly number[], p: number): number | null {
  const value = nearestRank(sorted, sorted.length, p);
  return value === undefined ? null : value / 1000;
}

function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length / 1000;
}

/**
 * Per-stage duration percentiles (nearest rank) over `attempts`, and tail attribution: among
 * attempts that served, the slow ones (deployment duration ≥ its p95) are compared with the
 * typical ones (≤ its p50); a stage's extra time is its mean time per slow attempt minus its
 * mean time per typical attempt (a stage an attempt did not run counts 0 s), and its share is
 * its part of the sum of the positive extras. See docs/dashboard.md.
 */
export function stageStatistics(attempts: readonly Attempt[]): StageStatistics {
  const runs = new Map<string, { kind: StageKind; durations: number[]; offsets: number }>();
  const served: { attempt: Attempt; ms: number }[] = [];
  for (const attempt of attempts) {
    if (attempt.servingAt !== null) {
      served.push({ attempt, ms: Math.max(0, attempt.servingAt - attempt.startedAt) });
    }
    for (const stage of attempt.stages) {
      if (stage.status === "skipped") continue;
      let entry = runs.get(stage.name);
      if (entry === undefined) {
        entry = { kind: stage.kind, durations: [], offsets: 0 };
        runs.set(stage.name, entry);
      }
      const ms = stageDurationMs(stage);
      if (ms === null) continue;
      entry.durations.push(ms);
      entry.offsets += stage.startedAt - attempt.startedAt;
    }
  }

  const sortedServed = served.map((s) => s.ms).sort((a, b) => a - b);
  const slowFromMs = nearestRank(sortedServed, sortedServed.length, 95);
  const typicalUpToMs = nearestRank(sortedServed, sortedServed.length, 50);
  const slow =
    slowFromMs === undefined ? [] : served.filter((s) => s.ms >= slowFromMs).map((s) => s.attempt);
  const typical =
    typicalUpToMs === undefined
      ? []
      : served.filter((s) => s.ms <= typicalUpToMs).map((s) => s.attempt);
  const timeIn = (group: readonly Attempt[], name: string): number[] =>
    group.map((attempt) => {
      let total = 0;
      for (const stage of attempt.stages) {
        if (stage.name === name && stage.status !== "skipped") total += stageDurationMs(stage) ?? 0;
      }
      return total;
    });
  const servedMs = (group: readonly Attempt[]): number[] =>
    group.map((attempt) => (attempt.servingAt ?? attempt.startedAt) - attempt.startedAt);

  const names = [...runs.keys()].sort((a, b) => {
    const ea = runs.get(a);
    const eb = runs.get(b);
    const oa = ea && ea.durations.length > 0 ? ea.offsets / ea.durations.length : 0;
    const ob = eb && eb.durations.length > 0 ? eb.offsets / eb.durations.length : 0;
    return oa - ob || a.localeCompare(b);
  });
  const hasTail = slow.length > 0 && typical.length > 0;
  const extras = names.map((name) => {
    if (!hasTail) return { slowMean: null, typicalMean: null, extra: null };
    const slowMean = mean(timeIn(slow, name)) ?? 0;
    const typicalMean = mean(timeIn(typical, name)) ?? 0;
    return { slowMean, typicalMean, extra: slowMean - typicalMean };
  });
  let positive = 0;
  for (const { extra } of extras) if (extra !== null && extra > 0) positive += extra;

  const stages = names.map((name, i): StageStatistic => {
    const entry = runs.get(name) ?? { kind: "active" as const, durations: [], offsets: 0 };
    const sorted = [...entry.durations].sort((a, b) => a - b);
    const { slowMean, typicalMean, extra } = extras[i] ?? {
      slowMean: null,
      typicalMean: null,
      extra: null,
    };
    return {
      stage: name,
      kind: entry.kind,
      runs: sorted.length,
      p50: percentileOf(sorted, 50),
      p95: percentileOf(sorted, 95),
      p99: percentileOf(sorted, 99),
      slowMeanSeconds: slowMean,
      typicalMeanSeconds: typicalMean,
      extraSeconds: extra,
      share: extra === null || positive === 0 ? null : Math.max(0, extra) / positive,
    };
  });

  const slowDeploy = mean(servedMs(slow));
  const typicalDeploy = mean(servedMs(typical));
  return {
    attempts: attempts.length,
    served: served.length,
    slowFrom: slowFromMs === undefined ? null : slowFromMs / 1000,
    typicalUpTo: typicalUpToMs === undefined ? null : typicalUpToMs / 1000,
    slowAttempts: slow.length,
    typicalAttempts: typical.length,
    deploymentExtraSeconds:
      hasTail && slowDeploy !== null && typicalDeploy !== null ? slowDeploy - typicalDeploy : null,
    stages,
  };
}
