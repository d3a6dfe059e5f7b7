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
} as const;
