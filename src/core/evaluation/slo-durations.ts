import type { Slo } from "../spec/slo.js";
import { windowBounds } from "../spec/window-bounds.js";
import type { AttemptTables } from "./attempt-tables.js";
import { selectorMatcher } from "./selector-matcher.js";
import type { SubjectOutcome } from "./subject-outcome.js";
import { SUBJECT } from "./subject-outcome.js";
import { emptyVerdict, judge, VERDICT } from "./verdict.js";

/**
 * The durations (ms) behind an SLO's percentiles as of `at`: every subject that succeeded with
 * a good or bad verdict in the window, judged as evaluateSlo judges them. Failed subjects have
 * no duration; their count is returned apart.
 */
export function sloDurations(
  slo: Slo,
  tables: AttemptTables,
  at: number,
): { readonly durationsMs: number[]; readonly withoutDuration: number } {
  const table = tables.tableFor(slo.indicator);
  const durationsMs: number[] = [];
  let withoutDuration = 0;
  if (table === undefined) return { durationsMs, withoutDuration };
  const matches = selectorMatcher(slo.selector);
  const seriesMatch = tables.series.map((series) => matches(series));
  const { verdictAfter } = windowBounds(slo.window, at);
  const t = slo.objective.thresholdMs;
  const v = emptyVerdict();
  const { start, stop, end, outcome, series } = table;
  for (let i = 0; i < table.length; i++) {
    if (!seriesMatch[series[i] ?? 0]) continue;
    judge(
      v,
      (outcome[i] ?? SUBJECT.inProgress) as SubjectOutcome,
      start[i] ?? 0,
      stop[i] ?? 0,
      end[i] ?? 0,
      t,
      at,
    );
    if (v.kind !== VERDICT.good && v.kind !== VERDICT.bad) continue;
    if (!(v.at > verdictAfter)) continue;
    if (Number.isNaN(v.durationMs)) withoutDuration++;
    else durationsMs.push(v.durationMs);
  }
  return { durationsMs, withoutDuration };
}
