import type { Attempt } from "../attempt/attempt.js";
import { subjectOfOutcome } from "../evaluation/subject-outcome.js";
import { emptyVerdict, judge, VERDICT } from "../evaluation/verdict.js";
import { type Decimal, exactRatio } from "../primitives/exact-ratio.js";
import { nearestRank } from "../primitives/percentile.js";
import { conditionOf, type SplitKey } from "./attempt-conditions.js";
import { type DurationSummary, durationSummary } from "./duration-summary.js";

/** What a threshold would have given over a history (occurrences budgeting). */
export interface ThresholdFit {
  readonly thresholdSeconds: number;
  readonly eligible: number;
  readonly good: number;
  readonly bad: number;
  /** good / eligible; null when nothing was eligible. */
  readonly compliance: number | null;
}

export interface BudgetLeft {
  /** (1 − target) × eligible, in attempts. */
  readonly total: number;
  readonly consumed: number;
  readonly remaining: number;
  /** remaining / total; 1 when total is 0. */
  readonly remainingRatio: number;
}

export interface GroupRecommendation {
  readonly value: string;
  readonly attempts: number;
  readonly durations: DurationSummary;
  readonly thresholdSeconds: number | null;
  readonly historicalCompliance: number | null;
}

export interface DependencyP99 {
  readonly name: string;
  readonly samples: number;
  readonly p99: number | null;
}

export interface ThresholdRecommendation {
  readonly target: number;
  /** Attempts whose outcome was known (in-progress ones are left out). */
  readonly attempts: number;
  /** Durations of the attempts that succeeded (servingAt − startedAt). */
  readonly durations: DurationSummary;
  /** The smallest whole-second threshold meeting the target over the history; null: none does. */
  readonly thresholdSeconds: number | null;
  readonly historicalCompliance: number | null;
  readonly fit: ThresholdFit | null;
  readonly errorBudget: BudgetLeft | null;
  /** For a given threshold: what it gave, which is the highest target the history supports. */
  readonly reverse: (ThresholdFit & { readonly highestTarget: number | null }) | null;
  readonly dependencies: readonly DependencyP99[];
  /** Sum of the dependencies' own p99s (seconds): a floor no threshold should go below. */
  readonly dependencyP99SumSeconds: number | null;
  readonly splits: readonly {
    readonly key: SplitKey;
    readonly groups: readonly GroupRecommendation[];
  }[];
}

export interface RecommendInput {
  readonly attempts: readonly Attempt[];
  readonly target: Decimal;
  /** The threshold to check in reverse (ms), if any. */
  readonly thresholdMs?: number | undefined;
  readonly splits: readonly SplitKey[];
  /** Verdicts as known at this instant (epoch ms). */
  readonly at: number;
}

const SECOND = 1000;

/** The attempts whose outcome is known at `at`, each judged as a deployment subject. */
function known(attempts: readonly Attempt[], at: number): Attempt[] {
  return attempts.filter((attempt) => {
    if (attempt.startedAt > at || attempt.outcome === "in_progress") return false;
    const stop = attempt.outcome === "succeeded" ? attempt.servingAt : attempt.endedAt;
    return stop !== null && stop <= at;
  });
}

/** Good and bad verdicts of `attempts` under threshold `thresholdMs` (docs/semantics.md). */
export function thresholdFit(
  attempts: readonly Attempt[],
  thresholdMs: number,
  at: number,
): ThresholdFit {
  const verdict = emptyVerdict();
  let good = 0;
  let bad = 0;
  for (const attempt of attempts) {
    judge(
      verdict,
      subjectOfOutcome(attempt.outcome),
      attempt.startedAt,
      attempt.servingAt ?? Number.NaN,
      attempt.endedAt ?? Number.NaN,
      thresholdMs,
      at,
    );
    if (verdict.kind === VERDICT.good) good++;
    else if (verdict.kind === VERDICT.bad) bad++;
  }
  const eligible = good + bad;
  return {
    thresholdSeconds: thresholdMs / SECOND,
    eligible,
    good,
    bad,
    compliance: eligible === 0 ? null : good / eligible,
  };
}

function meets(fit: ThresholdFit, target: Decimal): boolean {
  return BigInt(fit.good) * target.scale >= target.units * BigInt(fit.eligible);
}

function servedDurations(attempts: readonly Attempt[]): number[] {
  const out: number[] = [];
  for (const attempt of attempts) {
    if (attempt.outcome === "succeeded" && attempt.servingAt !== null)
      out.push(Math.max(0, attempt.servingAt - attempt.startedAt));
  }
  return out.sort((a, b) => a - b);
}

/**
 * The smallest whole-second threshold whose compliance over `attempts` reaches `target`.
 * Compliance only grows with the threshold (a slower success turns good, a late cancellation
 * drops out), so a binary search over the served durations, rounded up to the second, finds it.
 */
function smallestMeeting(
  attempts: readonly Attempt[],
  sortedMs: readonly number[],
  target: Decimal,
  at: number,
): ThresholdFit | null {
  const candidates = [...new Set(sortedMs.map((ms) => Math.ceil(ms / SECOND) * SECOND))];
  let low = 0;
  let high = candidates.length - 1;
  let best: ThresholdFit | null = null;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const fit = thresholdFit(attempts, candidates[mid] ?? 0, at);
    if (meets(fit, target)) {
      best = fit;
      high = mid - 1;
    } else low = mid + 1;
  }
  return best;
}

function budgetLeft(fit: ThresholdFit, target: Decimal): BudgetLeft {
  const allowed = (target.scale - target.units) * BigInt(fit.eligible);
  const total = exactRatio(allowed, target.scale);
  const remainingUnits = allowed - BigInt(fit.bad) * target.scale;
  return {
    total,
    consumed: fit.bad,
    remaining: exactRatio(remainingUnits, target.scale),
    remainingRatio: allowed === 0n ? 1 : exactRatio(remainingUnits, allowed),
  };
}

function dependencyP99s(attempts: readonly Attempt[]): DependencyP99[] {
  const byName = new Map<string, number[]>();
  for (const attempt of attempts) {
    for (const sample of attempt.dependencies) {
      const list = byName.get(sample.name) ?? [];
      list.push(Math.round(sample.seconds * SECOND));
      byName.set(sample.name, list);
    }
  }
  return [...byName.keys()].sort().map((name) => {
    const sorted = (byName.get(name) ?? []).sort((a, b) => a - b);
    const p99 = nearestRank(sorted, sorted.length, 99);
    return { name, samples: sorted.length, p99: p99 === undefined ? null : p99 / SECOND };
  });
}

function groupsOf(
  attempts: readonly Attempt[],
  key: SplitKey,
  target: Decimal,
  at: number,
): GroupRecommendation[] {
  const groups = new Map<string, Attempt[]>();
  for (const attempt of attempts) {
    const value = conditionOf(attempt, key);
    if (value === null) continue;
    const list = groups.get(value) ?? [];
    list.push(attempt);
    groups.set(value, list);
  }
  return [...groups.keys()].sort().map((value) => {
    const members = groups.get(value) ?? [];
    const sorted = servedDurations(members);
    const fit = smallestMeeting(members, sorted, target, at);
    return {
      value,
      attempts: members.length,
      durations: durationSummary(sorted),
      thresholdSeconds: fit?.thresholdSeconds ?? null,
      historicalCompliance: fit?.compliance ?? null,
    };
  });
}

/**
 * A threshold for a target from history: the smallest whole-second threshold that every
 * verdict rule of docs/semantics.md would have judged compliant over the attempts, the budget
 * it would have left, the same per condition, and, for a given threshold, the highest target
 * the history supports (its compliance).
 */
export function recommendThreshold(input: RecommendInput): ThresholdRecommendation {
  const attempts = known(input.attempts, input.at);
  const sorted = servedDurations(attempts);
  const fit = smallestMeeting(attempts, sorted, input.target, input.at);
  const reverse =
    input.thresholdMs === undefined ? null : thresholdFit(attempts, input.thresholdMs, input.at);
  const dependencies = dependencyP99s(attempts);
  const p99s = dependencies.flatMap((d) => (d.p99 === null ? [] : [d.p99 * SECOND]));
  return {
    target: exactRatio(input.target.units, input.target.scale),
    attempts: attempts.length,
    durations: durationSummary(sorted),
    thresholdSeconds: fit?.thresholdSeconds ?? null,
    historicalCompliance: fit?.compliance ?? null,
    fit,
    errorBudget: fit === null ? null : budgetLeft(fit, input.target),
    reverse: reverse === null ? null : { ...reverse, highestTarget: reverse.compliance },
    dependencies,
    dependencyP99SumSeconds:
      p99s.length === 0 ? null : p99s.reduce((sum, ms) => sum + ms, 0) / SECOND,
    splits: input.splits.map((key) => ({
      key,
      groups: groupsOf(attempts, key, input.target, input.at),
    })),
  };
}
