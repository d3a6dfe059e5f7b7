/**
 * Every metric name and label deployslo exports on /metrics, in one place: the server exports
 * them, the rules, dashboards and OpenSLO SLIs deployslo writes read them (docs/api.md).
 */
export const METRIC_NAMES = {
  compliance: "deployslo_slo_compliance",
  target: "deployslo_slo_target",
  met: "deployslo_slo_met",
  budgetRemainingRatio: "deployslo_slo_error_budget_remaining_ratio",
  burnRate: "deployslo_slo_burn_rate",
  eligible: "deployslo_slo_eligible_attempts",
  bad: "deployslo_slo_bad_attempts",
  inProgress: "deployslo_slo_in_progress_attempts",
  p95: "deployslo_slo_duration_p95_seconds",
  verdicts: "deployslo_slo_verdicts_total",
  duration: "deployslo_slo_duration_seconds",
  /** Rows deleted by retention, label `table` (`attempts`, `notifications`); not per SLO. */
  retentionDeleted: "deployslo_retention_deleted_total",
} as const;

/**
 * The buckets of deployslo_slo_duration_seconds, in seconds: 1 s to 1 d, with an edge at the
 * usual thresholds (1m, 5m, 10m, 15m, 30m, 1h…), since a quantile is interpolated within a bucket.
 */
export const DURATION_BUCKETS: readonly number[] = Object.freeze([
  1, 2.5, 5, 10, 15, 30, 45, 60, 90, 120, 180, 300, 450, 600, 900, 1200, 1800, 2700, 3600, 5400,
  7200, 10800, 14400, 21600, 43200, 86400,
]);
