/**
 * Where one SLO stands as of an instant: the JSON contract of `deployslo evaluate --format
 * json` and of the status API. Times are RFC 3339 strings, durations seconds.
 */
export interface SloStatus {
  readonly name: string;
  readonly description: string | null;
  readonly indicator:
    | { readonly type: "deployment" }
    | { readonly type: "stage"; readonly stage: string }
    | { readonly type: "dependency"; readonly dependency: string };
  readonly window: {
    readonly kind: "rolling" | "calendar";
    readonly length: string;
    readonly start: string;
    readonly end: string;
    readonly lengthSeconds: number;
  };
  readonly thresholdSeconds: number;
  readonly target: number;
  readonly percentile: number | null;
  readonly budgeting: "occurrences" | "excess-time";
  readonly eligible: number;
  readonly good: number;
  readonly bad: number;
  readonly inProgress: number;
  readonly compliance: number | null;
  readonly met: boolean;
  readonly errorBudget: {
    readonly total: number;
    readonly consumed: number;
    readonly remaining: number;
    readonly remainingRatio: number;
    readonly unit: "attempts" | "seconds";
    readonly perAttemptSeconds: number | null;
  };
  /**
   * Per lookback (see burn-lookbacks.ts): always 1h, 6h, 1d, 3d and the whole window, and the
   * long window of each of the SLO's burn-rate rules.
   */
  readonly burnRates: Readonly<Record<BurnRateKey, number>> & Readonly<Record<string, number>>;
  /** When the budget would be spent at the 3d burn rate; null when never (see semantics.md). */
  readonly forecast: { readonly exhaustsAt: string | null };
  readonly percentiles: {
    readonly p50: number | null;
    readonly p90: number | null;
    readonly p95: number | null;
    readonly p99: number | null;
    readonly max: number | null;
  };
}

/** The burn rates every status has. */
export type BurnRateKey = "1h" | "6h" | "1d" | "3d" | "window";

export interface EvaluationResult {
  readonly at: string;
  readonly slos: readonly SloStatus[];
}
