import type { AttemptTables } from "./attempt-tables.js";
import type { BurnLookback } from "./burn-lookbacks.js";
import type { BucketAggregate } from "./slo-buckets.js";
import { countAbove } from "./slo-buckets.js";
import { SUBJECT, type SubjectOutcome } from "./subject-outcome.js";
import type { SubjectTable } from "./subject-table.js";
import { emptyVerdict, judge, VERDICT } from "./verdict.js";

/** Durations of one evaluation; a caller evaluating many SLOs may pass one to all of them. */
export class DurationBuffer {
  values = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

export function overlap(from: number, to: number, windowStart: number, windowEnd: number): number {
  const a = Math.max(from, windowStart);
  const b = Math.min(to, windowEnd);
  return b > a ? b - a : 0;
}

/** What the tally needs of the SLO and the instant. */
export interface TallyScope {
  readonly table: SubjectTable;
  readonly tables: AttemptTables;
  readonly thresholdMs: number;
  readonly excess: boolean;
  readonly at: number;
  /** Verdicts after this count in the window. */
  readonly verdictAfter: number;
  readonly windowStart: number;
  readonly lookbacks: readonly BurnLookback[];
}

/**
 * The counts of one SLO as of an instant, added to row by row (or bucket by bucket): good,
 * bad, in progress, budget consumed, durations, and per lookback (shortest first) the
 * eligible, bad and consumed of its span.
 */
export class SloTally {
  good = 0;
  bad = 0;
  inProgress = 0;
  consumedMs = 0;
  readonly lookbackStart: number[];
  readonly lookbackEligible: number[];
  readonly lookbackBad: number[];
  readonly lookbackConsumed: number[];
  /** The start of the longest lookback. */
  readonly longestStart: number;
  readonly #scope: TallyScope;
  readonly #durations: DurationBuffer;
  readonly #verdict = emptyVerdict();

  constructor(scope: TallyScope, durations: DurationBuffer) {
    this.#scope = scope;
    this.#durations = durations;
    durations.length = 0;
    this.lookbackStart = scope.lookbacks.map((lookback) => scope.at - lookback.ms);
    this.lookbackEligible = scope.lookbacks.map(() => 0);
    this.lookbackBad = scope.lookbacks.map(() => 0);
    this.lookbackConsumed = scope.lookbacks.map(() => 0);
    this.longestStart = this.lookbackStart.at(-1) ?? scope.at;
  }

  /** Judges row `i` of the table as of `at` and counts it. */
  visit(i: number): void {
    const s = this.#scope;
    const table = s.table;
    const v = this.#verdict;
    judge(
      v,
      (table.outcome[i] ?? SUBJECT.inProgress) as SubjectOutcome,
      table.start[i] ?? 0,
      table.stop[i] ?? 0,
      table.end[i] ?? 0,
      s.thresholdMs,
      s.at,
    );
    if (v.kind === VERDICT.none) return;
    if (v.inProgress) this.inProgress++;
    if (v.kind === VERDICT.good || v.kind === VERDICT.bad)
      this.#countVerdict(v.kind === VERDICT.bad, v.at, v.durationMs);
    if (s.excess && v.violationEnd > v.violationStart)
      this.#countViolation(v.violationStart, v.violationEnd);
  }

  #countVerdict(isBad: boolean, verdictAt: number, durationMs: number): void {
    if (verdictAt > this.#scope.verdictAfter) {
      if (isBad) this.bad++;
      else this.good++;
      if (!Number.isNaN(durationMs)) this.#durations.push(durationMs);
    }
    // The lookbacks nest (shortest first): most verdicts are older than all of them.
    for (let k = this.lookbackStart.length - 1; k >= 0; k--) {
      if (verdictAt <= (this.lookbackStart[k] ?? 0)) break;
      this.lookbackEligible[k] = (this.lookbackEligible[k] ?? 0) + 1;
      if (isBad) this.lookbackBad[k] = (this.lookbackBad[k] ?? 0) + 1;
    }
  }

  #countViolation(from: number, to: number): void {
    const { windowStart, at } = this.#scope;
    this.consumedMs += overlap(from, to, windowStart, at);
    if (to <= this.longestStart) return;
    for (let k = 0; k < this.lookbackStart.length; k++)
      this.lookbackConsumed[k] =
        (this.lookbackConsumed[k] ?? 0) + overlap(from, to, this.lookbackStart[k] ?? 0, at);
  }

  /** Adds a whole bucket of settled rows from the SLO's aggregates: [bucketStart, +width). */
  addBucket(part: BucketAggregate, bucketStart: number, width: number): void {
    const { excess, at } = this.#scope;
    const bucketLast = bucketStart + width - 1;
    const goodCount = part.goodAt.length;
    const badCount = part.badAt.length;
    this.good += goodCount;
    this.bad += badCount;
    if (excess) this.consumedMs += part.violationMs;
    for (let k = 0; k < this.lookbackStart.length; k++) {
      const from = this.lookbackStart[k] ?? 0;
      if (bucketLast <= from) continue;
      if (bucketStart > from) {
        this.lookbackEligible[k] = (this.lookbackEligible[k] ?? 0) + goodCount + badCount;
        this.lookbackBad[k] = (this.lookbackBad[k] ?? 0) + badCount;
        if (excess) this.lookbackConsumed[k] = (this.lookbackConsumed[k] ?? 0) + part.violationMs;
        continue;
      }
      // The lookback starts inside the bucket: count what is after its start.
      const badAfter = countAbove(part.badAt, from);
      this.lookbackEligible[k] =
        (this.lookbackEligible[k] ?? 0) + countAbove(part.goodAt, from) + badAfter;
      this.lookbackBad[k] = (this.lookbackBad[k] ?? 0) + badAfter;
      if (excess) {
        let sum = 0;
        for (let j = 0; j < part.violationTo.length; j++)
          sum += overlap(part.violationFrom[j] ?? 0, part.violationTo[j] ?? 0, from, at);
        this.lookbackConsumed[k] = (this.lookbackConsumed[k] ?? 0) + sum;
      }
    }
    for (let j = 0; j < part.late.length; j++) this.visit(part.late[j] ?? 0);
  }
}
