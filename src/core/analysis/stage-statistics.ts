import type { Attempt, StageKind } from "../attempt/attempt.js";
import { criticalPath } from "../attempt/critical-path.js";
import { sloEndPoint } from "../attempt/slo-end-point.js";
import { stageDurationMs } from "../attempt/stage-durations.js";
import { nearestRank } from "../primitives/percentile.js";

export interface StageStatistic {
  readonly stage: string;
  readonly kind: StageKind;
  /** Ended runs of the stage (skipped ones excluded). */
  readonly runs: number;
  /**
   * Runs that started at or after their attempt's end point (servingAt, or the end of an
   * attempt that never served): shown, never blamed for the tail.
   */
  readonly runsAfterEndPoint: number;
  /** Runs that started before the end point and ended after it: off the critical path too. */
  readonly runsPastEndPoint: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  /**
   * Mean time per attempt this stage spent on the critical path before the end point (seconds):
   * slow attempts, typical attempts, difference; its share is that difference over the
   * deployment's extra time (negative when the stage was quicker in slow attempts). Null with
   * no tail.
   */
  readonly slowMeanSeconds: number | null;
  readonly typicalMeanSeconds: number | null;
  readonly extraSeconds: number | null;
  readonly share: number | null;
  /** Served attempts in which the stage was on the critical path (before the end point). */
  readonly onCriticalPath: number;
  /** onCriticalPath over the served attempts; null when none served. */
  readonly criticalPathShare: number | null;
}

/** Time before the end point that no stage on the critical path covers (gaps, unrecorded work). */
export interface TailPart {
  readonly slowMeanSeconds: number | null;
  readonly typicalMeanSeconds: number | null;
  readonly extraSeconds: number | null;
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
  /** With the stages' extras, adds up to deploymentExtraSeconds (shares: to 1). */
  readonly betweenStages: TailPart;
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
 * How a served attempt's deployment duration splits: per stage name, its time on the critical
 * path (clipped to [startedAt, servingAt]); `between`, the rest. The parts add up to
 * servingAt − startedAt exactly, and nothing after servingAt is in them.
 */
function tailParts(
  attempt: Attempt,
  servingAt: number,
): { stages: Map<string, number>; between: number } {
  const parts = new Map<string, number>();
  let covered = 0;
  for (const index of criticalPath(attempt.stages, servingAt, Number.POSITIVE_INFINITY)) {
    const stage = attempt.stages[index];
    if (stage === undefined) continue;
    const from = Math.max(stage.startedAt, attempt.startedAt);
    const to = Math.min(stage.endedAt ?? servingAt, servingAt);
    const ms = Math.max(0, to - from);
    covered += ms;
    parts.set(stage.name, (parts.get(stage.name) ?? 0) + ms);
  }
  return { stages: parts, between: Math.max(0, servingAt - attempt.startedAt) - covered };
}

interface StageRuns {
  kind: StageKind;
  durations: number[];
  offsets: number;
  afterEndPoint: number;
  pastEndPoint: number;
}

function collectRuns(attempts: readonly Attempt[]): Map<string, StageRuns> {
  const runs = new Map<string, StageRuns>();
  for (const attempt of attempts) {
    const endPoint = sloEndPoint(attempt);
    for (const stage of attempt.stages) {
      if (stage.status === "skipped") continue;
      let entry = runs.get(stage.name);
      if (entry === undefined) {
        entry = { kind: stage.kind, durations: [], offsets: 0, afterEndPoint: 0, pastEndPoint: 0 };
        runs.set(stage.name, entry);
      }
      const ms = stageDurationMs(stage);
      if (ms === null) continue;
      entry.durations.push(ms);
      entry.offsets += stage.startedAt - attempt.startedAt;
      if (endPoint === null || stage.endedAt === null || stage.endedAt <= endPoint) continue;
      if (stage.startedAt >= endPoint) entry.afterEndPoint++;
      else entry.pastEndPoint++;
    }
  }
  return runs;
}

/** Stage names in the order they usually run (mean offset from the attempt's start). */
function runOrder(runs: Map<string, StageRuns>): string[] {
  const offset = (entry: StageRuns | undefined) =>
    entry && entry.durations.length > 0 ? entry.offsets / entry.durations.length : 0;
  return [...runs.keys()].sort(
    (a, b) => offset(runs.get(a)) - offset(runs.get(b)) || a.localeCompare(b),
  );
}

/**
 * Per-stage duration percentiles (nearest rank) over `attempts`, and tail attribution: among
 * attempts that served, the slow ones (deployment duration ≥ its p95) are compared with the
 * typical ones (≤ its p50). Each served attempt's deployment duration is split among the stages
 * on its critical path (the same rule as the attempt page) and the time between them, counting
 * only time before servingAt; a part's extra time is its mean per slow attempt minus its mean
 * per typical attempt, and its share is that over the deployment's extra time, so the parts add
 * up to it exactly. See docs/dashboard.md.
 */
export function stageStatistics(attempts: readonly Attempt[]): StageStatistics {
  const runs = collectRuns(attempts);
  const served: { parts: ReturnType<typeof tailParts>; ms: number }[] = [];
  for (const attempt of attempts) {
    if (attempt.servingAt === null) continue;
    served.push({
      parts: tailParts(attempt, attempt.servingAt),
      ms: Math.max(0, attempt.servingAt - attempt.startedAt),
    });
  }
  const sortedServed = served.map((s) => s.ms).sort((a, b) => a - b);
  const slowFromMs = nearestRank(sortedServed, sortedServed.length, 95);
  const typicalUpToMs = nearestRank(sortedServed, sortedServed.length, 50);
  const slow = slowFromMs === undefined ? [] : served.filter((s) => s.ms >= slowFromMs);
  const typical = typicalUpToMs === undefined ? [] : served.filter((s) => s.ms <= typicalUpToMs);
  const hasTail = slow.length > 0 && typical.length > 0;
  const slowDeploy = mean(slow.map((s) => s.ms));
  const typicalDeploy = mean(typical.map((s) => s.ms));
  const deploymentExtra =
    hasTail && slowDeploy !== null && typicalDeploy !== null ? slowDeploy - typicalDeploy : null;
  const part = (timeIn: (parts: ReturnType<typeof tailParts>) => number): TailPart => {
    if (!hasTail)
      return { slowMeanSeconds: null, typicalMeanSeconds: null, extraSeconds: null, share: null };
    const slowMean = mean(slow.map((s) => timeIn(s.parts))) ?? 0;
    const typicalMean = mean(typical.map((s) => timeIn(s.parts))) ?? 0;
    const extra = slowMean - typicalMean;
    return {
      slowMeanSeconds: slowMean,
      typicalMeanSeconds: typicalMean,
      extraSeconds: extra,
      share: deploymentExtra === null || deploymentExtra === 0 ? null : extra / deploymentExtra,
    };
  };

  const onPath = new Map<string, number>();
  for (const s of served)
    for (const name of s.parts.stages.keys()) onPath.set(name, (onPath.get(name) ?? 0) + 1);
  const stages = runOrder(runs).map((name): StageStatistic => {
    const entry = runs.get(name);
    const pathCount = onPath.get(name) ?? 0;
    const sorted = [...(entry?.durations ?? [])].sort((a, b) => a - b);
    return {
      stage: name,
      kind: entry?.kind ?? "active",
      runs: sorted.length,
      runsAfterEndPoint: entry?.afterEndPoint ?? 0,
      runsPastEndPoint: entry?.pastEndPoint ?? 0,
      p50: percentileOf(sorted, 50),
      p95: percentileOf(sorted, 95),
      p99: percentileOf(sorted, 99),
      ...part((parts) => parts.stages.get(name) ?? 0),
      onCriticalPath: pathCount,
      criticalPathShare: served.length === 0 ? null : pathCount / served.length,
    };
  });
  return {
    attempts: attempts.length,
    served: served.length,
    slowFrom: slowFromMs === undefined ? null : slowFromMs / 1000,
    typicalUpTo: typicalUpToMs === undefined ? null : typicalUpToMs / 1000,
    slowAttempts: slow.length,
    typicalAttempts: typical.length,
    deploymentExtraSeconds: deploymentExtra,
    stages,
    betweenStages: part((parts) => parts.between),
  };
}
