import type { Attempt } from "../attempt/attempt.js";
import { runSubject } from "../attempt/attempt-attribute.js";
import type { Slo } from "../spec/slo.js";
import type { AttemptTables } from "./attempt-tables.js";
import { selectorMatcher } from "./selector-matcher.js";
import { spanSubject } from "./span-subject.js";
import {
  SUBJECT,
  type SubjectOutcome,
  subjectOfOutcome,
  subjectOfStageStatus,
} from "./subject-outcome.js";
import { firstStartingAt } from "./subject-table.js";
import { emptyVerdict, judge, VERDICT } from "./verdict.js";

/**
 * The verdicts of one SLO in the order they became known: what alert rules count. Verdict
 * instants never change once known (docs/semantics.md), so verdicts judged as of `asOf`
 * answer every question as of an earlier instant too: count those known by then.
 */
export class VerdictSeries {
  /** Verdict instants, ascending (epoch ms). */
  readonly times: Float64Array;
  /** badBefore[i]: bad verdicts among the first i. */
  readonly badBefore: Int32Array;
  /** Durations (ms) of the subjects that succeeded, by verdict; NaN for the others. */
  readonly durations: Float64Array;

  private constructor(times: Float64Array, bad: Uint8Array, durations: Float64Array) {
    this.times = times;
    this.durations = durations;
    this.badBefore = new Int32Array(times.length + 1);
    for (let i = 0; i < times.length; i++) {
      this.badBefore[i + 1] = (this.badBefore[i] ?? 0) + (bad[i] ?? 0);
    }
  }

  /** A series of verdicts already sorted by instant (VerdictCache keeps them so). */
  static fromSorted(times: Float64Array, bad: Uint8Array, durations: Float64Array): VerdictSeries {
    return new VerdictSeries(times, bad, durations);
  }

  get length(): number {
    return this.times.length;
  }

  /** How many verdicts are known at or before `t`. */
  knownBy(t: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.times[mid] ?? 0) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Bad verdicts among verdicts [from, to). */
  bad(from: number, to: number): number {
    return (this.badBefore[to] ?? 0) - (this.badBefore[from] ?? 0);
  }

  /** The verdicts of `slo` over `attempts` (the last record of an id wins), judged as of `asOf`. */
  static of(slo: Slo, attempts: Iterable<Attempt>, asOf: number): VerdictSeries {
    const matches = selectorMatcher(slo.selector);
    const latest = new Map<string, Attempt>();
    for (const attempt of attempts) latest.set(attempt.id, attempt);
    const found: { at: number; bad: boolean; durationMs: number }[] = [];
    const v = emptyVerdict();
    const t = slo.objective.thresholdMs;
    const add = (outcome: number, start: number, stop: number | null, end: number | null) => {
      judge(v, outcome as 0, start, stop ?? Number.NaN, end ?? Number.NaN, t, asOf);
      if (v.kind === VERDICT.good || v.kind === VERDICT.bad) {
        found.push({ at: v.at, bad: v.kind === VERDICT.bad, durationMs: v.durationMs });
      }
    };
    const indicator = slo.indicator;
    // A stage SLO's attribute selector reads each run's own attributes first.
    const byRun = Object.keys(slo.selector.attributes ?? {}).length > 0;
    for (const attempt of latest.values()) {
      if (indicator.kind !== "stage" && !matches(attempt)) continue;
      if (indicator.kind === "deployment") {
        add(
          subjectOfOutcome(attempt.outcome),
          attempt.startedAt,
          attempt.servingAt,
          attempt.endedAt,
        );
      } else if (indicator.kind === "span") {
        const subject = spanSubject(indicator.from, indicator.to, attempt);
        if (subject !== null) add(subject.outcome, subject.start, subject.stop, subject.end);
      } else if (indicator.kind === "stage") {
        for (const stage of attempt.stages) {
          if (stage.name !== indicator.stage) continue;
          if (!matches(byRun ? runSubject(attempt, stage) : attempt)) continue;
          add(
            subjectOfStageStatus(stage.status),
            stage.startedAt,
            stage.status === "succeeded" ? stage.endedAt : null,
            stage.endedAt,
          );
        }
      } else {
        for (const sample of attempt.dependencies) {
          if (sample.name !== indicator.dependency) continue;
          const measuredAt = sample.at ?? attempt.startedAt;
          const start = measuredAt - Math.round(sample.seconds * 1000);
          add(SUBJECT.succeeded, start, measuredAt, measuredAt);
        }
      }
    }
    return VerdictSeries.#sorted(found);
  }

  /**
   * The verdicts of `slo` over the in-memory tables a service keeps (the same verdicts as
   * `of` over the same attempts), judged as of `asOf`. With `after`, only the verdicts known
   * after that instant are sure to be there (older ones may be left out, to skip the rows
   * that settled long ago), so counts between instants after it are exact.
   */
  static ofTables(
    slo: Slo,
    tables: AttemptTables,
    asOf: number,
    after = Number.NEGATIVE_INFINITY,
  ): VerdictSeries {
    const found: { at: number; bad: boolean; durationMs: number }[] = [];
    const table = tables.tableFor(slo.indicator);
    if (table === undefined) return VerdictSeries.#sorted(found);
    const matches = selectorMatcher(slo.selector);
    const t = slo.objective.thresholdMs;
    const v = emptyVerdict();
    const { start, stop, end, outcome } = table;
    const { offsets, rows, maxSpan, earliestOpen } = table.rowsBySeries(tables.series.length);
    for (let s = 0; s < tables.series.length; s++) {
      const series = tables.series[s];
      if (series === undefined || !matches(series)) continue;
      const last = offsets[s + 1] ?? 0;
      // A row whose outcome was known by `after` has its verdict by then (see evaluateSlo).
      const lowest = Math.min(after - (maxSpan[s] ?? 0), earliestOpen[s] ?? 0);
      for (let r = firstStartingAt(rows, offsets[s] ?? 0, last, start, lowest); r < last; r++) {
        const i = rows[r] ?? 0;
        if ((start[i] ?? 0) > asOf) break;
        judge(
          v,
          (outcome[i] ?? SUBJECT.inProgress) as SubjectOutcome,
          start[i] ?? 0,
          stop[i] ?? Number.NaN,
          end[i] ?? Number.NaN,
          t,
          asOf,
        );
        if (v.kind === VERDICT.good || v.kind === VERDICT.bad) {
          found.push({ at: v.at, bad: v.kind === VERDICT.bad, durationMs: v.durationMs });
        }
      }
    }
    return VerdictSeries.#sorted(found);
  }

  static #sorted(found: { at: number; bad: boolean; durationMs: number }[]): VerdictSeries {
    found.sort((a, b) => a.at - b.at);
    const times = new Float64Array(found.length);
    const bad = new Uint8Array(found.length);
    const durations = new Float64Array(found.length);
    found.forEach((verdict, i) => {
      times[i] = verdict.at;
      bad[i] = verdict.bad ? 1 : 0;
      durations[i] = verdict.durationMs;
    });
    return new VerdictSeries(times, bad, durations);
  }
}
