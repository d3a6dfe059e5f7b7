import type { Attempt } from "../attempt/attempt.js";
import { criticalPath } from "../attempt/critical-path.js";
import { sloEndPoint } from "../attempt/slo-end-point.js";
import { stageDurationMs } from "../attempt/stage-durations.js";
import { subjectOfOutcome } from "../evaluation/subject-outcome.js";
import { emptyVerdict, judge, VERDICT } from "../evaluation/verdict.js";
import { nearestRank } from "../primitives/percentile.js";
import type { StageBudget } from "../spec/slo.js";

const SECOND = 1000;

/** How one budgeted stage kept to its share of the threshold. */
export interface StageBudgetUse {
  readonly stage: string;
  readonly budgetSeconds: number;
  /** Eligible attempts with at least one ended run of the stage. */
  readonly attempts: number;
  /** Of those, the attempts whose time in the stage was above its budget. */
  readonly overran: number;
  /** overran / attempts; null when no attempt ran the stage. */
  readonly overrunRate: number | null;
  /** Nearest-rank percentiles of the time in the stage per attempt (seconds). */
  readonly p50: number | null;
  readonly p95: number | null;
  /** p50 and p95 over the budget (1.5: half as long again as the budget). */
  readonly p50OfBudget: number | null;
  readonly p95OfBudget: number | null;
  /** Time beyond the budget, added up over the attempts that overran (seconds). */
  readonly overrunSeconds: number;
  /** Bad attempts (the SLO's verdict) in which this stage overran, and their share of them. */
  readonly breachingWithOverrun: number;
  readonly breachingShare: number | null;
}

/** The budgeted stages on the critical path that recorded attempts took most often. */
export interface BudgetedPath {
  /** In the order the spec lists them. */
  readonly stages: readonly string[];
  readonly budgetSeconds: number;
  /** Eligible attempts whose critical path held exactly these budgeted stages. */
  readonly attempts: number;
  /** budgetSeconds > the threshold: the budgets cannot all be kept within it. */
  readonly exceedsThreshold: boolean;
}

export interface StageBudgetOverruns {
  readonly thresholdSeconds: number;
  /** Every budget added up, as if the stages ran one after another. */
  readonly budgetSumSeconds: number;
  /** Attempts judged good or bad as of `at`, and the bad ones. */
  readonly eligible: number;
  readonly breaching: number;
  /** In the order the spec lists them. */
  readonly stages: readonly StageBudgetUse[];
  readonly criticalPath: BudgetedPath | null;
}

/** Time per stage name in one attempt: its ended, not skipped runs added up (retries too). */
function timeInStages(attempt: Attempt): Map<string, number> {
  const time = new Map<string, number>();
  for (const stage of attempt.stages) {
    if (stage.status === "skipped") continue;
    const ms = stageDurationMs(stage);
    if (ms !== null) time.set(stage.name, (time.get(stage.name) ?? 0) + ms);
  }
  return time;
}

interface Judged {
  readonly attempt: Attempt;
  readonly bad: boolean;
}

/** The attempts the SLO's verdict rule judges by `at` (docs/semantics.md), good or bad. */
function judged(attempts: readonly Attempt[], thresholdMs: number, at: number): Judged[] {
  const verdict = emptyVerdict();
  const out: Judged[] = [];
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
    if (verdict.kind === VERDICT.good || verdict.kind === VERDICT.bad)
      out.push({ attempt, bad: verdict.kind === VERDICT.bad });
  }
  return out;
}

function stageUse(
  budget: StageBudget,
  times: readonly { time: Map<string, number>; bad: boolean }[],
): StageBudgetUse {
  const ran: number[] = [];
  let overran = 0;
  let overrunMs = 0;
  let breachingWithOverrun = 0;
  let breaching = 0;
  for (const { time, bad } of times) {
    if (bad) breaching++;
    const ms = time.get(budget.stage);
    if (ms === undefined) continue;
    ran.push(ms);
    if (ms <= budget.budgetMs) continue;
    overran++;
    overrunMs += ms - budget.budgetMs;
    if (bad) breachingWithOverrun++;
  }
  ran.sort((a, b) => a - b);
  const p50 = nearestRank(ran, ran.length, 50);
  const p95 = nearestRank(ran, ran.length, 95);
  return {
    stage: budget.stage,
    budgetSeconds: budget.budgetMs / SECOND,
    attempts: ran.length,
    overran,
    overrunRate: ran.length === 0 ? null : overran / ran.length,
    p50: p50 === undefined ? null : p50 / SECOND,
    p95: p95 === undefined ? null : p95 / SECOND,
    p50OfBudget: p50 === undefined ? null : p50 / budget.budgetMs,
    p95OfBudget: p95 === undefined ? null : p95 / budget.budgetMs,
    overrunSeconds: overrunMs / SECOND,
    breachingWithOverrun,
    breachingShare: breaching === 0 ? null : breachingWithOverrun / breaching,
  };
}

/**
 * The budgeted stages on each attempt's critical path before its end point (the tail
 * attribution's rule), counted by set; the most frequent set wins, ties to the larger budget.
 */
function recordedPath(
  budgets: readonly StageBudget[],
  attempts: readonly Attempt[],
  thresholdMs: number,
): BudgetedPath | null {
  const order = new Map(budgets.map((b, i) => [b.stage, i]));
  const counts = new Map<string, { stages: string[]; ms: number; attempts: number }>();
  for (const attempt of attempts) {
    const endPoint = sloEndPoint(attempt);
    if (endPoint === null) continue;
    const names = new Set<string>();
    for (const index of criticalPath(attempt.stages, endPoint, Number.POSITIVE_INFINITY)) {
      const name = attempt.stages[index]?.name;
      if (name !== undefined && order.has(name)) names.add(name);
    }
    if (names.size === 0) continue;
    const stages = [...names].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    const key = stages.join("\n");
    const ms = stages.reduce((sum, s) => sum + (budgets[order.get(s) ?? 0]?.budgetMs ?? 0), 0);
    const entry = counts.get(key) ?? { stages, ms, attempts: 0 };
    entry.attempts++;
    counts.set(key, entry);
  }
  let best: { stages: string[]; ms: number; attempts: number } | undefined;
  for (const entry of counts.values()) {
    if (best === undefined || entry.attempts > best.attempts) best = entry;
    else if (entry.attempts === best.attempts && entry.ms > best.ms) best = entry;
  }
  if (best === undefined) return null;
  return {
    stages: best.stages,
    budgetSeconds: best.ms / SECOND,
    attempts: best.attempts,
    exceedsThreshold: best.ms > thresholdMs,
  };
}

/**
 * Stage budgets against a history, for `deployslo budgets` and GET /api/v1/insight/budgets:
 * over the attempts the SLO's verdict rule judges by `at`, per budgeted stage how many
 * attempts ran it, how many overran its budget (time in the stage above it, retries added up),
 * its p50/p95 against the budget, the time beyond it, and how many bad attempts it overran in.
 * A stage's time is its whole run, after the first inference too: a budget is about the stage.
 */
export function stageBudgetOverruns(input: {
  readonly attempts: readonly Attempt[];
  readonly budgets: readonly StageBudget[];
  readonly thresholdMs: number;
  readonly at: number;
}): StageBudgetOverruns {
  const eligible = judged(input.attempts, input.thresholdMs, input.at);
  const times = eligible.map((j) => ({ time: timeInStages(j.attempt), bad: j.bad }));
  return {
    thresholdSeconds: input.thresholdMs / SECOND,
    budgetSumSeconds: input.budgets.reduce((sum, b) => sum + b.budgetMs, 0) / SECOND,
    eligible: eligible.length,
    breaching: eligible.filter((j) => j.bad).length,
    stages: input.budgets.map((budget) => stageUse(budget, times)),
    criticalPath: recordedPath(
      input.budgets,
      eligible.map((j) => j.attempt),
      input.thresholdMs,
    ),
  };
}
