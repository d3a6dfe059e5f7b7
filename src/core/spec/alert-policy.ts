import type { SloWindow } from "./slo.js";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export type AlertSeverity = "page" | "ticket";

/**
 * A multi-window burn-rate rule (SRE Workbook, "Alerting on SLOs"): it holds while the burn
 * rate over both the long and the short window is at least `factor`.
 */
export interface BurnRateRule {
  readonly name: string;
  readonly severity: AlertSeverity;
  readonly longWindowMs: number;
  readonly shortWindowMs: number;
  /** The share of the window's error budget the rule stands for (0.02 = 2%). */
  readonly budgetFraction: number;
  /** How long the condition must hold before the alert fires; 0 fires at once. */
  readonly forMs: number;
  /**
   * Hysteresis: how long a firing alert's condition must have stopped holding before it
   * resolves (default: the short window); 0 resolves at once, as the Workbook's rules do.
   */
  readonly keepFiringForMs: number;
  /** budgetFraction × window / longWindow (see burnFactor). */
  readonly factor: number;
}

/** Guards for sparse streams; see docs/alerting.md. */
export interface LowVolume {
  /** A rule holds only when its long window holds at least this many bad attempts. */
  readonly minBadAttempts: number;
  /**
   * A long window reaching back fewer than this many attempts is stretched back to them, and
   * a short window to the last attempt; 0 keeps windows purely in time.
   */
  readonly minAttempts: number;
}

/** A ticket when the error budget would run out within `horizonMs` at the current burn. */
export interface ForecastPolicy {
  /** null: no forecast ticket. */
  readonly horizonMs: number | null;
}

/** For dependency indicators: a ticket when the recent p95 drifts above the longer baseline p95. */
export interface BaselinePolicy {
  readonly factor: number;
  readonly recentMs: number;
  readonly baselineMs: number;
  readonly minSamples: number;
}

export interface AlertPolicy {
  readonly rules: readonly BurnRateRule[];
  /** True when the rules are the defaults derived from the window. */
  readonly defaultRules: boolean;
  /** Names of NotificationTarget documents. */
  readonly notify: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly runbookUrl: string | null;
  readonly lowVolume: LowVolume;
  readonly forecast: ForecastPolicy;
  readonly baseline: BaselinePolicy | null;
  /**
   * Whether this SLO's pages join an open incident of an SLO over overlapping attempts (one
   * notification for both); see incidents in docs/alerting.md.
   */
  readonly group: boolean;
}

/** The nominal length rules are derived from: a calendar month counts as 30 days. */
export function nominalWindowMs(window: SloWindow): number {
  if (window.kind === "rolling") return window.ms;
  return window.unit === "month" ? 30 * DAY_MS : 7 * DAY_MS;
}

/**
 * The burn rate at which `budgetFraction` of a window's budget is spent in `longWindowMs`:
 * budgetFraction × window / longWindow. For 30 days: 2% in 1h → 14.4, 5% in 6h → 6,
 * 10% in 3d → 1.
 */
export function burnFactor(budgetFraction: number, windowMs: number, longWindowMs: number): number {
  return (budgetFraction * windowMs) / longWindowMs;
}

/** The highest burn rate an SLO can show: every attempt bad, 1 / (1 − target). */
export function maxBurnRate(target: { units: bigint; scale: bigint }): number {
  return Number(target.scale) / Number(target.scale - target.units);
}

/** The Workbook's rules for 30 days, as data; other windows scale the windows in proportion. */
export const WORKBOOK_RULES = [
  { name: "fast-burn", severity: "page", budgetFraction: 0.02, longMs: HOUR_MS, shortMs: 300_000 },
  {
    name: "medium-burn",
    severity: "page",
    budgetFraction: 0.05,
    longMs: 6 * HOUR_MS,
    shortMs: 1_800_000,
  },
  {
    name: "slow-burn",
    severity: "ticket",
    budgetFraction: 0.1,
    longMs: 3 * DAY_MS,
    shortMs: 6 * HOUR_MS,
  },
] as const;

/** Default factors need at most this share of the attempts bad. */
export const DEFAULT_FACTOR_CAP = 0.8;

export const DEFAULT_LOW_VOLUME: LowVolume = Object.freeze({ minBadAttempts: 3, minAttempts: 3 });
export const PLAIN_LOW_VOLUME: LowVolume = Object.freeze({ minBadAttempts: 1, minAttempts: 0 });

/**
 * The default rules for a window: the Workbook's budget fractions, with long and short
 * windows scaled by window / 30d (so the factors stay 14.4, 6 and 1). For low targets a
 * factor near or above `maxBurn` would need nearly every attempt bad (or could never be
 * reached): a default factor is at most 4/5 of `maxBurn`, so that four bad attempts out of
 * five suffice (14.4 at target 95% is 0.72 of the highest burn).
 */
export function defaultRules(window: SloWindow, maxBurn: number): BurnRateRule[] {
  const windowMs = nominalWindowMs(window);
  const scale = windowMs / (30 * DAY_MS);
  return WORKBOOK_RULES.map((rule) => {
    const longWindowMs = Math.round(rule.longMs * scale);
    const shortWindowMs = Math.round(rule.shortMs * scale);
    const factor = burnFactor(rule.budgetFraction, windowMs, longWindowMs);
    return Object.freeze({
      name: rule.name,
      severity: rule.severity,
      longWindowMs,
      shortWindowMs,
      budgetFraction: rule.budgetFraction,
      forMs: 0,
      keepFiringForMs: shortWindowMs,
      factor: Math.min(factor, DEFAULT_FACTOR_CAP * maxBurn),
    });
  });
}

/** Forecast horizon by default: a tenth of the window (3 days for 30 days). */
export function defaultForecastHorizon(window: SloWindow): number {
  return Math.round(nominalWindowMs(window) / 10);
}

export const DEFAULT_BASELINE: BaselinePolicy = Object.freeze({
  factor: 1.5,
  recentMs: DAY_MS,
  baselineMs: 14 * DAY_MS,
  minSamples: 10,
});

/** The policy of an SLO without an `alerting` section. */
export function defaultAlertPolicy(
  window: SloWindow,
  target: { units: bigint; scale: bigint },
  dependencyIndicator = false,
): AlertPolicy {
  return Object.freeze({
    rules: Object.freeze(defaultRules(window, maxBurnRate(target))),
    defaultRules: true,
    notify: [],
    labels: {},
    runbookUrl: null,
    lowVolume: DEFAULT_LOW_VOLUME,
    forecast: Object.freeze({ horizonMs: defaultForecastHorizon(window) }),
    baseline: dependencyIndicator ? DEFAULT_BASELINE : null,
    group: true,
  });
}
