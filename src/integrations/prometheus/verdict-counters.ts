import type { AttemptTables } from "../../core/evaluation/attempt-tables.js";
import { selectorMatcher } from "../../core/evaluation/selector-matcher.js";
import { SUBJECT, type SubjectOutcome } from "../../core/evaluation/subject-outcome.js";
import { emptyVerdict, judge, VERDICT } from "../../core/evaluation/verdict.js";
import type { Slo } from "../../core/spec/slo.js";
import { DURATION_BUCKETS } from "./metric-names.js";

/** How many good and bad verdicts an SLO has had, over all the attempts stored. */
export interface VerdictCount {
  readonly slo: string;
  readonly good: number;
  readonly bad: number;
}

/**
 * Each SLO's verdicts known by `at`, over the whole history, not only its window: counters
 * that only grow (a verdict never changes once known), so that Prometheus can take their
 * difference over any lookback. Every replica computes them from the same store, so they
 * agree across replicas and do not reset when a process restarts. `onDuration` sees the
 * duration (ms) of every subject that succeeded by `at` (good or slow), for a histogram.
 */
export function verdictCounters(
  slos: readonly Slo[],
  tables: AttemptTables,
  at: number,
  onDuration?: (slo: string, ms: number) => void,
): VerdictCount[] {
  const verdict = emptyVerdict();
  return slos.map((slo) => {
    const table = tables.tableFor(slo.indicator);
    let good = 0;
    let bad = 0;
    if (table !== undefined) {
      const matches = selectorMatcher(slo.selector);
      const seriesMatch = tables.series.map((series) => matches(series));
      const t = slo.objective.thresholdMs;
      for (let i = 0; i < table.length; i++) {
        if (seriesMatch[table.series[i] ?? 0] !== true) continue;
        const outcome = (table.outcome[i] ?? SUBJECT.inProgress) as SubjectOutcome;
        const start = table.start[i] ?? 0;
        judge(verdict, outcome, start, table.stop[i] ?? 0, table.end[i] ?? 0, t, at);
        if (verdict.kind === VERDICT.good) good++;
        else if (verdict.kind === VERDICT.bad) bad++;
        if (onDuration !== undefined && !Number.isNaN(verdict.durationMs))
          onDuration(slo.name, verdict.durationMs);
      }
    }
    return { slo: slo.name, good, bad };
  });
}

/** One SLO's durations of subjects that succeeded, as histogram counts over DURATION_BUCKETS. */
export interface DurationCounts {
  /** Per bucket of DURATION_BUCKETS, then one above the last: how many fell in it (not cumulative). */
  readonly buckets: number[];
  sumSeconds: number;
  count: number;
}

/** Every SLO's verdicts and the histogram of its durations: figures that add up over attempts. */
export interface HistoryFigures {
  readonly counts: readonly VerdictCount[];
  readonly durations: ReadonlyMap<string, DurationCounts>;
}

/** Index in DurationCounts.buckets of a duration of `seconds`. */
function bucketOf(seconds: number): number {
  let lo = 0;
  let hi = DURATION_BUCKETS.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seconds <= (DURATION_BUCKETS[mid] ?? 0)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The counters and every SLO's duration histogram, in one pass over `tables`. */
export function historyFigures(
  slos: readonly Slo[],
  tables: AttemptTables,
  at: number,
): HistoryFigures {
  const durations = new Map<string, DurationCounts>(
    slos.map((slo) => [
      slo.name,
      { buckets: new Array<number>(DURATION_BUCKETS.length + 1).fill(0), sumSeconds: 0, count: 0 },
    ]),
  );
  const counts = verdictCounters(slos, tables, at, (slo, ms) => {
    const into = durations.get(slo);
    if (into === undefined) return;
    const seconds = ms / 1000;
    const b = bucketOf(seconds);
    into.buckets[b] = (into.buckets[b] ?? 0) + 1;
    into.sumSeconds += seconds;
    into.count++;
  });
  return { counts, durations };
}

/** The figures of two disjoint sets of attempts, added (SLOs of `a` only). */
export function addHistoryFigures(a: HistoryFigures, b: HistoryFigures): HistoryFigures {
  const other = new Map(b.counts.map((count) => [count.slo, count]));
  const counts = a.counts.map((count) => ({
    slo: count.slo,
    good: count.good + (other.get(count.slo)?.good ?? 0),
    bad: count.bad + (other.get(count.slo)?.bad ?? 0),
  }));
  const durations = new Map<string, DurationCounts>();
  for (const [slo, mine] of a.durations) {
    const theirs = b.durations.get(slo);
    durations.set(slo, {
      buckets: mine.buckets.map((n, i) => n + (theirs?.buckets[i] ?? 0)),
      sumSeconds: mine.sumSeconds + (theirs?.sumSeconds ?? 0),
      count: mine.count + (theirs?.count ?? 0),
    });
  }
  return { counts, durations };
}
