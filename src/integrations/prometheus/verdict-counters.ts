import type { AttemptTables } from "../../core/evaluation/attempt-tables.js";
import { selectorMatcher } from "../../core/evaluation/selector-matcher.js";
import { SUBJECT, type SubjectOutcome } from "../../core/evaluation/subject-outcome.js";
import { emptyVerdict, judge, VERDICT } from "../../core/evaluation/verdict.js";
import type { Slo } from "../../core/spec/slo.js";

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

/** The counters and every SLO's durations of subjects that succeeded, in one pass. */
export function historyFigures(
  slos: readonly Slo[],
  tables: AttemptTables,
  at: number,
): { counts: VerdictCount[]; durationsMs: Map<string, number[]> } {
  const durationsMs = new Map<string, number[]>(slos.map((slo) => [slo.name, []]));
  const counts = verdictCounters(slos, tables, at, (slo, ms) => durationsMs.get(slo)?.push(ms));
  return { counts, durationsMs };
}
