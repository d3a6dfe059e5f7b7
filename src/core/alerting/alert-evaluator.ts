import { forecastExhaustion } from "../evaluation/forecast-exhaustion.js";
import type { VerdictSeries } from "../evaluation/verdict-series.js";
import { nearestRank } from "../primitives/percentile.js";
import type { AlertSeverity } from "../spec/alert-policy.js";
import type { Slo } from "../spec/slo.js";
import { windowBounds } from "../spec/window-bounds.js";
import { burnCondition } from "./burn-condition.js";
import { type AlertState, type AlertTransition, stepAlert } from "./step-alert.js";

/** The lookback the forecast measures the current burn over (the Workbook's slow burn). */
export const FORECAST_LOOKBACK_MS = 259_200_000;
export const FORECAST_ALERT = "budget-forecast";
export const BASELINE_ALERT = "baseline-drift";

export interface AlertDefinition {
  readonly alert: string;
  readonly severity: AlertSeverity;
  readonly forMs: number;
  /** Hysteresis (see settled); 0 for the forecast and baseline tickets. */
  readonly keepFiringForMs: number;
}

/**
 * A firing burn-rate alert resolves only after a run of good attempts that the incident would
 * produce by chance less often than this: with a share `b` of bad attempts in its long window
 * when its condition last held, ln(SETTLE_ODDS) / ln(1 − b) good ones in a row (at least
 * lowVolume.minAttempts and SETTLE_MIN_RUNS): 7 when 2 in 3 attempts were bad, 66 when 1 in 10 was.
 */
export const SETTLE_ODDS = 0.001;
/** Even after a total outage, three good attempts in a row before a page resolves. */
export const SETTLE_MIN_RUNS = 3;

/** The good attempts in a row that settle an alert whose long window held `bad` of `eligible`. */
export function settleRuns(bad: number, eligible: number, minAttempts: number): number {
  const floor = Math.max(minAttempts, SETTLE_MIN_RUNS);
  const share = eligible === 0 ? 1 : bad / eligible;
  if (share >= 1) return floor;
  return Math.max(floor, Math.ceil(Math.log(SETTLE_ODDS) / Math.log(1 - share) - 1e-9));
}

/** Every alert an SLO can raise: its burn-rate rules, the forecast and the baseline tickets. */
export function alertDefinitions(slo: Slo): AlertDefinition[] {
  const { rules, forecast, baseline } = slo.alerting;
  const out: AlertDefinition[] = rules.map((rule) => ({
    alert: rule.name,
    severity: rule.severity,
    forMs: rule.forMs,
    keepFiringForMs: rule.keepFiringForMs,
  }));
  const ticket = { severity: "ticket", forMs: 0, keepFiringForMs: 0 } as const;
  if (forecast.horizonMs !== null) out.push({ alert: FORECAST_ALERT, ...ticket });
  if (baseline !== null) out.push({ alert: BASELINE_ALERT, ...ticket });
  return out;
}

/**
 * The deployment SLOs a dependency SLO's alerts put at risk: those with the same selector.
 * Empty for other SLOs.
 */
export function slosAtRisk(slo: Slo, all: readonly Slo[]): string[] {
  if (slo.indicator.kind !== "dependency") return [];
  const same = JSON.stringify(slo.selector);
  return all
    .filter(
      (other) => other.indicator.kind === "deployment" && JSON.stringify(other.selector) === same,
    )
    .map((other) => other.name);
}

/**
 * The oldest instant an evaluation as of `at` looks back to: the SLO window's start, the
 * forecast lookback, the rules' windows and the baseline. The verdicts known after it are all
 * an evaluator needs (VerdictSeries.ofTables may leave the older ones out).
 */
export function alertHorizon(slo: Slo, at: number): number {
  let horizon = Math.min(windowBounds(slo.window, at).verdictAfter, at - FORECAST_LOOKBACK_MS);
  for (const rule of slo.alerting.rules) {
    horizon = Math.min(horizon, at - rule.longWindowMs, at - rule.shortWindowMs);
  }
  const baseline = slo.alerting.baseline;
  if (baseline !== null) {
    horizon = Math.min(horizon, at - baseline.baselineMs, at - baseline.recentMs);
  }
  return horizon;
}

/** p95 of the durations known (NaN: no duration), with how many there were. */
function p95(durations: Float64Array): { value: number; count: number } | null {
  const known = durations.filter((d) => !Number.isNaN(d)).sort();
  const value = nearestRank(known, known.length, 95);
  return value === undefined ? null : { value, count: known.length };
}

export interface AlertEvaluation {
  readonly states: AlertState[];
  readonly transitions: AlertTransition[];
}

/**
 * The alert state machine of one SLO over its verdicts (pure: the caller passes `at` and the
 * previous states). Reuse one evaluator for successive instants: each step costs a few
 * binary searches, and the baseline percentiles are recomputed only when their samples change.
 */
export class AlertEvaluator {
  readonly #slo: Slo;
  readonly #series: VerdictSeries;
  readonly #allowed: number;
  readonly #definitions: AlertDefinition[];
  #baselineKey = "";
  #baselineHolds = false;

  constructor(slo: Slo, series: VerdictSeries) {
    this.#slo = slo;
    this.#series = series;
    const { units, scale } = slo.objective.target;
    this.#allowed = Number(scale - units) / Number(scale);
    this.#definitions = alertDefinitions(slo);
  }

  get definitions(): readonly AlertDefinition[] {
    return this.#definitions;
  }

  /** Whether each alert's condition holds as of `at`, by alert name. */
  conditions(at: number): Map<string, boolean> {
    const slo = this.#slo;
    const bounds = windowBounds(slo.window, at);
    const out = new Map<string, boolean>();
    for (const rule of slo.alerting.rules) {
      const condition = burnCondition(
        this.#series,
        rule,
        slo.alerting.lowVolume,
        this.#allowed,
        at,
        bounds.verdictAfter,
      );
      out.set(rule.name, condition.holds);
    }
    const horizon = slo.alerting.forecast.horizonMs;
    if (horizon !== null) {
      const exhaustsAt = this.exhaustsAt(at);
      const end = this.#series.knownBy(at);
      const from = this.#series.knownBy(bounds.verdictAfter);
      const windowBad = this.#series.bad(from, end);
      // A budget smaller than the guard is spent before the guard could be met.
      const budget = Math.max(1, Math.ceil(this.#allowed * (end - from) - 1e-9));
      const guard = Math.min(slo.alerting.lowVolume.minBadAttempts, budget);
      out.set(
        FORECAST_ALERT,
        exhaustsAt !== null && exhaustsAt <= at + horizon && windowBad >= guard,
      );
    }
    if (slo.alerting.baseline !== null) out.set(BASELINE_ALERT, this.#baselineDrift(at));
    return out;
  }

  /** The budget forecast counted in attempts (see forecastExhaustion). */
  exhaustsAt(at: number): number | null {
    const series = this.#series;
    const bounds = windowBounds(this.#slo.window, at);
    const end = series.knownBy(at);
    const from = series.knownBy(bounds.verdictAfter);
    const eligible = end - from;
    const bad = series.bad(from, end);
    const total = this.#allowed * eligible;
    const remainingRatio = total === 0 ? 1 : (total - bad) / total;
    const lookbackFrom = series.knownBy(at - FORECAST_LOOKBACK_MS);
    const lookbackEligible = end - lookbackFrom;
    const burn =
      lookbackEligible === 0 ? 0 : series.bad(lookbackFrom, end) / lookbackEligible / this.#allowed;
    return forecastExhaustion(remainingRatio, burn, bounds.lengthMs, at, bounds.periodEnd);
  }

  #baselineDrift(at: number): boolean {
    const baseline = this.#slo.alerting.baseline;
    if (baseline === null) return false;
    const series = this.#series;
    const end = series.knownBy(at);
    const recentFrom = series.knownBy(at - baseline.recentMs);
    const baselineFrom = series.knownBy(at - baseline.baselineMs);
    const key = `${baselineFrom}:${recentFrom}:${end}`;
    if (key === this.#baselineKey) return this.#baselineHolds;
    const recent = p95(series.durations.subarray(recentFrom, end));
    const before = p95(series.durations.subarray(baselineFrom, recentFrom));
    this.#baselineKey = key;
    this.#baselineHolds =
      recent !== null &&
      before !== null &&
      recent.count >= baseline.minSamples &&
      before.count >= baseline.minSamples &&
      recent.value > baseline.factor * before.value;
    return this.#baselineHolds;
  }

  /**
   * Whether the firing alert `definition`, whose condition last held at `heldAt`, may resolve
   * as of `at`: its condition has not held for keepFiringFor, and the good attempts since the
   * last bad one are at least settleRuns of the share of bad ones its long window held at
   * `heldAt`. keepFiringFor 0 resolves at once.
   */
  settled(definition: AlertDefinition, heldAt: number, at: number): boolean {
    const keep = definition.keepFiringForMs;
    if (keep === 0) return true;
    if (at - heldAt < keep) return false;
    const rule = this.#slo.alerting.rules.find((r) => r.name === definition.alert);
    if (rule === undefined) return true;
    const lowVolume = this.#slo.alerting.lowVolume;
    const then = burnCondition(
      this.#series,
      rule,
      lowVolume,
      this.#allowed,
      heldAt,
      windowBounds(this.#slo.window, heldAt).verdictAfter,
    );
    const needed = settleRuns(then.longBad, then.longEligible, lowVolume.minAttempts);
    return this.#goodRun(at) >= needed;
  }

  /**
   * Hysteresis on the way up: an alert that resolved fires again only on new evidence, at
   * least lowVolume.minBadAttempts (at least one) bad attempts known since it resolved; the
   * bad ones its long window still remembers from before do not count again.
   */
  #rearmed(definition: AlertDefinition, before: AlertState | undefined, at: number): boolean {
    if (definition.keepFiringForMs === 0 || before?.state !== "resolved") return true;
    const series = this.#series;
    const fresh = series.bad(series.knownBy(before.since), series.knownBy(at));
    return fresh >= Math.max(1, this.#slo.alerting.lowVolume.minBadAttempts);
  }

  /** Good verdicts known by `at` since the last bad one. */
  #goodRun(at: number): number {
    const series = this.#series;
    const end = series.knownBy(at);
    const bad = series.badBefore[end] ?? 0;
    let lo = 0;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((series.badBefore[mid] ?? 0) < bad) lo = mid + 1;
      else hi = mid;
    }
    return end - lo;
  }

  /** New states and the transitions since `previous` (keyed by alert name), as of `at`. */
  evaluate(at: number, previous: ReadonlyMap<string, AlertState>): AlertEvaluation {
    const conditions = this.conditions(at);
    const states: AlertState[] = [];
    const transitions: AlertTransition[] = [];
    for (const definition of this.#definitions) {
      const before = previous.get(definition.alert);
      const step = stepAlert(
        before,
        { slo: this.#slo.name, alert: definition.alert, severity: definition.severity },
        conditions.get(definition.alert) === true && this.#rearmed(definition, before, at),
        definition.forMs,
        at,
        (heldAt) => this.settled(definition, heldAt, at),
      );
      states.push(step.state);
      if (step.transition !== null) transitions.push(step.transition);
    }
    return { states, transitions };
  }
}
