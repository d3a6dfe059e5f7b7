import { stringify } from "yaml";
import { formatDuration } from "../../core/primitives/duration.js";
import type { BurnRateRule } from "../../core/spec/alert-policy.js";
import { defaultInProgressTimeoutMs } from "../../core/spec/in-progress-timeout.js";
import type { Slo } from "../../core/spec/slo.js";
import { shown } from "../prometheus/prometheus-rules.js";
import { nearestShorthand, toShorthand } from "./openslo-duration.js";
import {
  ANNOTATIONS,
  CALENDAR_START,
  CALENDAR_TIME_ZONE,
  OPENSLO_API_VERSION,
  PLACEHOLDER_SERVICE,
  VERDICTS_METRIC,
} from "./openslo-vocabulary.js";
import {
  alertingField,
  decimalText,
  indicatorField,
  policyField,
  selectorField,
} from "./slo-spec-document.js";

type Doc = Record<string, unknown>;

function json(value: unknown): string {
  return JSON.stringify(value);
}

function indicatorText(slo: Slo): string {
  const threshold = formatDuration(slo.objective.thresholdMs);
  if (slo.indicator.kind === "stage")
    return `Runs of stage ${slo.indicator.stage} that succeed within ${threshold}`;
  if (slo.indicator.kind === "dependency")
    return `Samples of dependency ${slo.indicator.dependency} within ${threshold}`;
  if (slo.indicator.kind === "span") {
    const { from, to } = slo.indicator;
    const start = from === null ? "the promote request" : `the ${from.at} of stage ${from.stage}`;
    const end =
      to === null ? "their first successful inference" : `the ${to.at} of stage ${to.stage}`;
    return `Deployments reaching ${end} within ${threshold} of ${start}`;
  }
  return `Deployments serving their first successful inference within ${threshold} of the promote request`;
}

function timeWindow(slo: Slo): Doc[] {
  if (slo.window.kind === "calendar")
    return [
      {
        duration: slo.window.unit === "month" ? "1M" : "1w",
        calendar: { startTime: CALENDAR_START, timeZone: CALENDAR_TIME_ZONE },
        isRolling: false,
      },
    ];
  return [{ duration: nearestShorthand(slo.window.ms), isRolling: true }];
}

/** The SLO's annotations: what OpenSLO has no field for, in deployslo's own words. */
function sloAnnotations(slo: Slo): Record<string, string> {
  const out: Record<string, string> = {};
  const selector = selectorField(slo);
  if (selector !== undefined) out[ANNOTATIONS.selector] = json(selector);
  const indicator = indicatorField(slo);
  if (indicator !== undefined) out[ANNOTATIONS.indicator] = json(indicator);
  out[ANNOTATIONS.threshold] = formatDuration(slo.objective.thresholdMs);
  const target = decimalText(slo.objective.target);
  if (String(Number(target)) !== target) out[ANNOTATIONS.target] = target;
  if (slo.budgeting !== "occurrences") out[ANNOTATIONS.budgeting] = slo.budgeting;
  if (slo.window.kind === "rolling" && toShorthand(slo.window.ms) === undefined)
    out[ANNOTATIONS.window] = formatDuration(slo.window.ms);
  if (slo.inProgressTimeoutMs !== defaultInProgressTimeoutMs(slo.objective.thresholdMs))
    out[ANNOTATIONS.inProgressTimeout] = formatDuration(slo.inProgressTimeoutMs);
  const { rules: _rules, ...alerting } = alertingField(slo);
  if (Object.keys(alerting).length > 0) out[ANNOTATIONS.alerting] = json(alerting);
  if (slo.alerting.defaultRules) out[ANNOTATIONS.defaultRules] = "true";
  const policy = policyField(slo);
  if (policy !== undefined) out[ANNOTATIONS.policy] = json(policy);
  const budgets = slo.stageBudgets ?? [];
  if (budgets.length > 0)
    out[ANNOTATIONS.stageBudgets] = json(
      Object.fromEntries(budgets.map((b) => [b.stage, formatDuration(b.budgetMs)])),
    );
  return out;
}

function ruleAnnotations(rule: BurnRateRule): Record<string, string> {
  const out: Record<string, string> = {
    [ANNOTATIONS.shortWindow]: formatDuration(rule.shortWindowMs),
    [ANNOTATIONS.budgetFraction]: String(rule.budgetFraction),
  };
  if (toShorthand(rule.longWindowMs) === undefined)
    out[ANNOTATIONS.longWindow] = formatDuration(rule.longWindowMs);
  if (rule.forMs > 0 && toShorthand(rule.forMs) === undefined)
    out[ANNOTATIONS.for] = formatDuration(rule.forMs);
  return out;
}

/**
 * One AlertPolicy per burn-rate rule: OpenSLO allows one condition per policy, and a condition
 * has one lookback window, so the short window travels in an annotation.
 */
function alertPolicy(slo: Slo, rule: BurnRateRule): Doc {
  const long = formatDuration(rule.longWindowMs);
  const short = formatDuration(rule.shortWindowMs);
  return {
    kind: "AlertPolicy",
    metadata: { name: rule.name, annotations: ruleAnnotations(rule) },
    spec: {
      description: `${rule.severity}: the error budget burns at ${shown(rule.factor)} times the sustainable rate or faster over both ${long} and ${short}`,
      alertWhenBreaching: true,
      alertWhenResolved: true,
      alertWhenNoData: false,
      conditions: [
        {
          kind: "AlertCondition",
          metadata: { name: rule.name },
          spec: {
            severity: rule.severity,
            condition: {
              kind: "burnrate",
              op: "gte",
              threshold: rule.factor,
              lookbackWindow: nearestShorthand(rule.longWindowMs),
              alertAfter: rule.forMs === 0 ? "0m" : nearestShorthand(rule.forMs),
            },
          },
        },
      ],
      notificationTargets: slo.alerting.notify.map((name) => ({ targetRef: name })),
    },
  };
}

function ratioQuery(slo: Slo, verdict: "good" | undefined): Doc {
  const selector =
    verdict === undefined ? `{slo="${slo.name}"}` : `{slo="${slo.name}",verdict="${verdict}"}`;
  const query =
    verdict === undefined
      ? `sum without (verdict) (${VERDICTS_METRIC}${selector})`
      : `${VERDICTS_METRIC}${selector}`;
  return { metricSource: { type: "Prometheus", spec: { query } } };
}

/** One deployslo SLO as an OpenSLO v1 SLO document. */
export function openSloDocument(slo: Slo): Doc {
  const target = decimalText(slo.objective.target);
  const objective: Doc = { displayName: `within ${formatDuration(slo.objective.thresholdMs)}` };
  if (slo.objective.percentile !== null) objective.targetPercent = slo.objective.percentile;
  else objective.target = Number(target);
  const metadata: Doc = { name: slo.name };
  if (Object.keys(slo.labels).length > 0) metadata.labels = { ...slo.labels };
  metadata.annotations = sloAnnotations(slo);
  const spec: Doc = {};
  if (slo.description !== null) spec.description = slo.description;
  spec.service = slo.labels.service ?? PLACEHOLDER_SERVICE;
  spec.indicator = {
    metadata: { name: slo.name },
    spec: {
      description: indicatorText(slo),
      ratioMetric: {
        counter: true,
        good: ratioQuery(slo, "good"),
        total: ratioQuery(slo, undefined),
      },
    },
  };
  spec.timeWindow = timeWindow(slo);
  spec.budgetingMethod = "Occurrences";
  spec.objectives = [objective];
  if (slo.alerting.rules.length > 0)
    spec.alertPolicies = slo.alerting.rules.map((rule) => alertPolicy(slo, rule));
  return { apiVersion: OPENSLO_API_VERSION, kind: "SLO", metadata, spec };
}

/** SLOs as a multi-document OpenSLO v1 YAML file. */
export function exportOpenSlo(slos: readonly Slo[]): string {
  return slos
    .map((slo) => stringify(openSloDocument(slo), { lineWidth: 0, aliasDuplicateObjects: false }))
    .join("---\n");
}
