import { METRIC_NAMES } from "../prometheus/metric-names.js";

/** What deployslo writes into and reads from OpenSLO documents, in one place (docs/openslo.md). */
export const OPENSLO_API_VERSION = "openslo/v1";

/** The prefix of every annotation deployslo writes: what OpenSLO cannot express travels in them. */
export const ANNOTATION_PREFIX = "deployslo/";

export const ANNOTATIONS = {
  selector: "deployslo/selector",
  indicator: "deployslo/indicator",
  threshold: "deployslo/threshold",
  target: "deployslo/target",
  budgeting: "deployslo/budgeting",
  window: "deployslo/window",
  inProgressTimeout: "deployslo/in-progress-timeout",
  alerting: "deployslo/alerting",
  defaultRules: "deployslo/default-rules",
  policy: "deployslo/policy",
  stageBudgets: "deployslo/stage-budgets",
  shortWindow: "deployslo/short-window",
  longWindow: "deployslo/long-window",
  budgetFraction: "deployslo/budget-fraction",
  for: "deployslo/for",
} as const;

/**
 * The service an SLO without a `service` label is exported under; importing it adds no label.
 */
export const PLACEHOLDER_SERVICE = "deployslo";

/** The counter of verdicts that /metrics exposes, which exported SLIs read. */
export const VERDICTS_METRIC = METRIC_NAMES.verdicts;

/** Calendar periods start at these instants (a 1st of the month; a Monday), in UTC. */
export const CALENDAR_START = "2024-01-01 00:00:00";
export const CALENDAR_TIME_ZONE = "UTC";
