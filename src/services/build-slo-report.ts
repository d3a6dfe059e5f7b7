import type {
  SloReportAttemptsJson,
  SloReportDayJson,
  SloReportEntryJson,
  SloReportJson,
} from "../contract/slo-report-schema.js";
import { tailAttribution } from "../core/analysis/tail-attribution.js";
import { recommendThreshold } from "../core/analysis/threshold-recommendation.js";
import type { Attempt, Outcome } from "../core/attempt/attempt.js";
import { OUTCOMES } from "../core/attempt/attempt.js";
import { AttemptTables } from "../core/evaluation/attempt-tables.js";
import { evaluateSlo } from "../core/evaluation/evaluate-slo.js";
import { selectorMatcher } from "../core/evaluation/selector-matcher.js";
import { timedOutAttempt } from "../core/evaluation/timed-out-attempt.js";
import { closestName } from "../core/primitives/closest-name.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";
import type { Slo } from "../core/spec/slo.js";
import { windowBounds } from "../core/spec/window-bounds.js";
import { type InsightSource, insightAttempts } from "./insight-attempts.js";
import { mayReadAttempt, maySeeSlo, type ReadScope, visibleSloNames } from "./read-scope.js";
import {
  ALERT_STEP_MS,
  ALERT_WARM_UP_MS,
  type PeriodAlerts,
  replayPeriodAlerts,
} from "./report/replay-period-alerts.js";
import type { ReportPeriod } from "./report/report-period.js";
import { reportRecommendations } from "./report/report-recommendations.js";
import { slowestAttempts } from "./report/slowest-attempts.js";
import type { UseCaseCall } from "./service-context.js";

const DAY_MS = 86_400_000;
const EVERY_ATTEMPT = { environment: null, model: null, labels: {} } as const;

export interface ReportInput {
  readonly slos: readonly Slo[];
  readonly source: InsightSource;
  readonly period: ReportPeriod;
  /** Only this SLO (by name); every SLO when absent. */
  readonly slo?: string | undefined;
  /** How many of the slowest attempts to explain per SLO. */
  readonly slowest: number;
  /** What the reader may see (the API's scoped tokens); undefined: everything. */
  readonly scope?: ReadScope;
}

function chosen(slos: readonly Slo[], name: string | undefined): readonly Slo[] {
  if (name === undefined) return slos;
  const slo = slos.find((s) => s.name === name);
  if (slo !== undefined) return [slo];
  const near = closestName(
    name,
    slos.map((s) => s.name),
  );
  throw new DeploysloError(
    "USAGE",
    `no SLO named "${name}"${near === undefined ? "" : ` (did you mean "${near}"?)`}`,
  );
}

/**
 * How far before the period attempts matter: the SLO's own window at the period's end, the
 * alert rules' longest look-back before the warm-up, and an attempt's in-progress time.
 */
function readFrom(slos: readonly Slo[], period: ReportPeriod): number {
  let from = period.from;
  for (const slo of slos) {
    const baseline = slo.alerting.baseline;
    const lookback = Math.max(
      ...slo.alerting.rules.map((rule) => rule.longWindowMs),
      baseline === null ? 0 : baseline.recentMs + baseline.baselineMs,
      0,
    );
    const earliest = Math.min(
      windowBounds(slo.window, period.to - 1).start,
      period.from - ALERT_WARM_UP_MS - lookback,
    );
    from = Math.min(from, earliest - slo.inProgressTimeoutMs);
  }
  return from;
}

/** Each UTC day of the period: its own verdicts, and the month to date as of its end. */
function dailyFigures(
  slo: Slo,
  tables: AttemptTables,
  period: ReportPeriod,
  last: number,
): SloReportDayJson[] {
  const month: Slo = { ...slo, window: { kind: "calendar", unit: "month" } };
  const day: Slo = { ...slo, window: { kind: "rolling", ms: DAY_MS } };
  const out: SloReportDayJson[] = [];
  for (let start = period.from; start <= last; start += DAY_MS) {
    const end = Math.min(start + DAY_MS - 1, last);
    const that = evaluateSlo(day, tables, end);
    const toDate = evaluateSlo(month, tables, end);
    out.push({
      date: formatTimestamp(start).slice(0, 10),
      good: that.good,
      bad: that.bad,
      compliance: that.compliance,
      p95: that.percentiles.p95,
      complianceToDate: toDate.compliance,
      budgetRemainingRatio: toDate.errorBudget.remainingRatio,
    });
  }
  return out;
}

/** The deployments the SLO selects that started in the period: outcomes, tail, slowest. */
function periodAttempts(
  slo: Slo,
  attempts: readonly Attempt[],
  period: ReportPeriod,
  last: number,
  slowest: number,
): SloReportAttemptsJson | null {
  if (slo.indicator.kind !== "deployment") return null;
  const matches = selectorMatcher(slo.selector);
  const own = attempts.filter(
    (a) => a.startedAt >= period.from && a.startedAt < period.to && matches(a),
  );
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const attempt of own) outcomes[attempt.outcome]++;
  const tail = tailAttribution(own);
  const fit = recommendThreshold({
    attempts: own,
    target: slo.objective.target,
    thresholdMs: slo.objective.thresholdMs,
    splits: [],
    at: last,
  });
  return {
    started: own.length,
    outcomes,
    durations: tail.durations,
    blamed: tail.blamed,
    slowest: slowestAttempts(own, tail.stages, slowest),
    threshold: {
      recommendedSeconds: fit.thresholdSeconds,
      highestTarget: fit.reverse?.highestTarget ?? null,
    },
  };
}

function entry(
  slo: Slo,
  tables: AttemptTables,
  attempts: readonly Attempt[],
  alerts: PeriodAlerts,
  input: ReportInput,
  last: number,
): SloReportEntryJson {
  const period = evaluateSlo({ ...slo, window: { kind: "calendar", unit: "month" } }, tables, last);
  const own = periodAttempts(slo, attempts, input.period, last, input.slowest);
  return {
    name: slo.name,
    period,
    atPeriodEnd: evaluateSlo(slo, tables, last),
    days: dailyFigures(slo, tables, input.period, last),
    incidents: alerts.incidents(slo.name, visibleSloNames(input.scope, input.slos)),
    alerts: alerts.alerts(slo.name),
    attempts: own,
    recommendations: reportRecommendations(period, own),
  };
}

/**
 * `deployslo report` and GET /api/v1/reports: each SLO over one calendar month, with the core's
 * evaluation (the month as a calendar window, the SLO's own window at the month's end, each
 * day), the alert round replayed over the month, the slowest attempts explained by their
 * critical path, and the threshold the month would have needed.
 */
export async function buildSloReport({
  ctx,
  input,
}: UseCaseCall<"clock", ReportInput>): Promise<SloReportJson> {
  // Every SLO takes part in the timeouts and the alert round, as in the service, so one SLO's
  // report says what the whole report says of it.
  const { slos } = input;
  const reported = chosen(
    slos.filter((slo) => maySeeSlo(input.scope, slo)),
    input.slo,
  );
  // A month still running is reported as of now, never of an instant yet to come.
  const last = Math.max(input.period.from, Math.min(input.period.to - 1, ctx.clock.now()));
  const read = await insightAttempts(input.source, {
    selector: EVERY_ATTEMPT,
    from: readFrom(slos, input.period),
    to: input.period.to,
  });
  // As evaluate does: an attempt left in progress past its timeout ended at it.
  const attempts = read.attempts.map((a) => timedOutAttempt(a, slos, last) ?? a);
  const tables = AttemptTables.forSlos(slos);
  for (const attempt of attempts) tables.add(attempt);
  const alerts = replayPeriodAlerts(slos, attempts, input.period, last);
  return {
    period: input.period.label,
    from: formatTimestamp(input.period.from),
    to: formatTimestamp(input.period.to),
    asOf: formatTimestamp(last),
    attempts: attempts.filter((a) => mayReadAttempt(input.scope, a)).length,
    complete: read.complete,
    alertStepSeconds: ALERT_STEP_MS / 1000,
    slos: reported.map((slo) => entry(slo, tables, attempts, alerts, input, last)),
  };
}
