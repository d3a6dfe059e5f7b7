import type { Attempt, StageKind } from "../attempt/attempt.js";
import { criticalPath } from "../attempt/critical-path.js";
import { sloEndPoint } from "../attempt/slo-end-point.js";
import { nearestRank } from "../primitives/percentile.js";
import { type DurationSummary, durationSummary } from "./duration-summary.js";

/** Time of a group of attempts before their end point, split by what it was spent on (seconds). */
export interface TimeSplit {
  readonly attempts: number;
  /** On the critical path, in wait stages (approvals, queues, hand-offs). */
  readonly waitSeconds: number;
  /** On the critical path, in active stages. */
  readonly activeSeconds: number;
  /** Before the end point on no stage of the critical path (gaps, unrecorded work). */
  readonly betweenSeconds: number;
  /** waitSeconds over the whole time before the end points; null with no time. */
  readonly waitShare: number | null;
  readonly meanWaitSeconds: number | null;
  /** Nearest-rank p95 of the wait per attempt. */
  readonly p95WaitSeconds: number | null;
}

export interface WaitStage {
  readonly stage: string;
  /** Runs that started before their attempt's end point (their time before it). */
  readonly runs: number;
  readonly durations: DurationSummary;
  /** Time it held up deployments: its time on the critical path, summed. */
  readonly criticalSeconds: number;
  readonly criticalShare: number | null;
}

export interface TrendPoint extends TimeSplit {
  readonly from: number;
  readonly to: number;
}

export interface CoordinationOverhead {
  readonly groupBy: string;
  readonly total: TimeSplit;
  readonly groups: readonly (TimeSplit & { readonly value: string })[];
  readonly waitStages: readonly WaitStage[];
  readonly bucketMs: number;
  readonly trend: readonly TrendPoint[];
}

interface AttemptTime {
  readonly attempt: Attempt;
  readonly byKind: Record<StageKind, number>;
  readonly between: number;
  readonly perStage: Map<string, number>;
}

/** One attempt's time before its end point, along the critical path (the product's one rule). */
function attemptTime(attempt: Attempt, endPoint: number): AttemptTime {
  const byKind: Record<StageKind, number> = { active: 0, wait: 0 };
  const perStage = new Map<string, number>();
  let covered = 0;
  for (const index of criticalPath(attempt.stages, endPoint, Number.POSITIVE_INFINITY)) {
    const stage = attempt.stages[index];
    if (stage === undefined) continue;
    const from = Math.max(stage.startedAt, attempt.startedAt);
    const ms = Math.max(0, Math.min(stage.endedAt ?? endPoint, endPoint) - from);
    byKind[stage.kind] += ms;
    covered += ms;
    perStage.set(stage.name, (perStage.get(stage.name) ?? 0) + ms);
  }
  return {
    attempt,
    byKind,
    between: Math.max(0, endPoint - attempt.startedAt) - covered,
    perStage,
  };
}

function split(times: readonly AttemptTime[]): TimeSplit {
  let wait = 0;
  let active = 0;
  let between = 0;
  const waits: number[] = [];
  for (const t of times) {
    wait += t.byKind.wait;
    active += t.byKind.active;
    between += t.between;
    waits.push(t.byKind.wait);
  }
  const all = wait + active + between;
  waits.sort((a, b) => a - b);
  const p95 = nearestRank(waits, waits.length, 95);
  return {
    attempts: times.length,
    waitSeconds: wait / 1000,
    activeSeconds: active / 1000,
    betweenSeconds: between / 1000,
    waitShare: all === 0 ? null : wait / all,
    meanWaitSeconds: times.length === 0 ? null : wait / times.length / 1000,
    p95WaitSeconds: p95 === undefined ? null : p95 / 1000,
  };
}

function waitStages(times: readonly AttemptTime[], totalMs: number): WaitStage[] {
  const runs = new Map<string, number[]>();
  const critical = new Map<string, number>();
  for (const t of times) {
    const endPoint = sloEndPoint(t.attempt) ?? t.attempt.startedAt;
    for (const stage of t.attempt.stages) {
      if (stage.kind !== "wait" || stage.status === "skipped" || stage.startedAt >= endPoint)
        continue;
      const ms = Math.max(0, Math.min(stage.endedAt ?? endPoint, endPoint) - stage.startedAt);
      const list = runs.get(stage.name) ?? [];
      list.push(ms);
      runs.set(stage.name, list);
      critical.set(stage.name, (critical.get(stage.name) ?? 0) + (t.perStage.get(stage.name) ?? 0));
    }
  }
  return [...runs.keys()].sort().map((stage) => {
    const ms = critical.get(stage) ?? 0;
    return {
      stage,
      runs: runs.get(stage)?.length ?? 0,
      durations: durationSummary((runs.get(stage) ?? []).sort((a, b) => a - b)),
      criticalSeconds: ms / 1000,
      criticalShare: totalMs === 0 ? null : ms / totalMs,
    };
  });
}

export interface OverheadInput {
  readonly attempts: readonly Attempt[];
  /** A label to group by (default `team`). */
  readonly groupBy: string;
  /** Trend buckets: [from, from + bucketMs), … up to `to`. */
  readonly from: number;
  readonly to: number;
  readonly bucketMs: number;
}

/**
 * Coordination overhead: of the time from each promote request to its end point (servingAt, or
 * the end of an attempt that never served), how much went to wait stages on the critical path
 * (what hand-offs actually delayed) against active work, per value of a label (the team), per
 * wait stage, and per period. Attempts still running are left out.
 */
export function coordinationOverhead(input: OverheadInput): CoordinationOverhead {
  const times: AttemptTime[] = [];
  for (const attempt of input.attempts) {
    const endPoint = sloEndPoint(attempt);
    if (endPoint !== null) times.push(attemptTime(attempt, endPoint));
  }
  const groups = new Map<string, AttemptTime[]>();
  for (const t of times) {
    const value = t.attempt.labels[input.groupBy] ?? "(none)";
    const list = groups.get(value) ?? [];
    list.push(t);
    groups.set(value, list);
  }
  const total = split(times);
  const totalMs = (total.waitSeconds + total.activeSeconds + total.betweenSeconds) * 1000;
  const trend: TrendPoint[] = [];
  for (let from = input.from; from < input.to; from += input.bucketMs) {
    const to = Math.min(input.to, from + input.bucketMs);
    trend.push({
      from,
      to,
      ...split(times.filter((t) => t.attempt.startedAt >= from && t.attempt.startedAt < to)),
    });
  }
  return {
    groupBy: input.groupBy,
    total,
    groups: [...groups.keys()]
      .sort()
      .map((value) => ({ value, ...split(groups.get(value) ?? []) })),
    waitStages: waitStages(times, totalMs),
    bucketMs: input.bucketMs,
    trend,
  };
}
