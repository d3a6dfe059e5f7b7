import { stringify } from "yaml";
import { STATUS_LOOKBACKS } from "../../core/evaluation/burn-lookbacks.js";
import { formatDuration } from "../../core/primitives/duration.js";
import type { BurnRateRule } from "../../core/spec/alert-policy.js";
import { nominalWindowMs } from "../../core/spec/alert-policy.js";
import type { Slo } from "../../core/spec/slo.js";
import { decimalText } from "../openslo/slo-spec-document.js";
import { METRIC_NAMES } from "./metric-names.js";

/** deployslo's rules hold at the factor up to float rounding (src/core/alerting/burn-condition.ts). */
const EPSILON = 1e-9;
/** The service label of an SLO without a `service` label (as in the OpenSLO export). */
export const DEFAULT_SERVICE = "deployslo";
/** The alert every burn-rate rule becomes; its `rule` label names the deployslo rule. */
export const ALERT_NAME = "DeploysloSloBurnRate";

type Rule = Record<string, unknown>;

/** A figure for a sentence: 14.4, not 14.399999999999999. */
export function shown(value: number): number {
  return Number(value.toPrecision(6));
}

/** Prometheus label names are [a-zA-Z_][a-zA-Z0-9_]*: other characters become underscores. */
function labelName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_]/g, "_");
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

/** A duration in Prometheus' syntax (1h30m, 90s, 250ms): deployslo's format minus nothing. */
export function promDuration(ms: number): string {
  return formatDuration(ms);
}

function sloLabels(slo: Slo): Record<string, string> {
  const service = slo.labels.service ?? DEFAULT_SERVICE;
  return { sloth_id: `${service}-${slo.name}`, sloth_service: service, sloth_slo: slo.name };
}

function selector(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(", ")}}`;
}

/** Verdicts of one kind (or of both) that became known over `range`, as the counters' difference. */
function verdictsOver(slo: Slo, verdict: "bad" | "all", range: string): string {
  const series =
    verdict === "bad"
      ? `${METRIC_NAMES.verdicts}{slo=${JSON.stringify(slo.name)}, verdict="bad"}`
      : `${METRIC_NAMES.verdicts}{slo=${JSON.stringify(slo.name)}}`;
  // The counters only grow, so max − min over the range is the last sample minus the first,
  // without rate()'s extrapolation; max by … keeps one of several replicas scraped alike.
  const delta = `max_over_time(${series}[${range}]) - min_over_time(${series}[${range}])`;
  return verdict === "bad"
    ? `max by (slo) (${delta})`
    : `sum by (slo) (max by (slo, verdict) (${delta}))`;
}

/** Every window a burn rate is recorded over: the status lookbacks and each rule's two windows. */
export function ruleWindows(slo: Slo): number[] {
  const windows = new Set<number>(STATUS_LOOKBACKS.map((lookback) => lookback.ms));
  for (const rule of slo.alerting.rules) {
    windows.add(rule.longWindowMs);
    windows.add(rule.shortWindowMs);
  }
  return [...windows].sort((a, b) => a - b);
}

/** 1 − target, written exactly. */
function errorBudget(slo: Slo): string {
  const { units, scale } = slo.objective.target;
  return decimalText({ units: scale - units, scale });
}

function sliRecordings(slo: Slo, labels: Record<string, string>): Rule[] {
  const budget = errorBudget(slo);
  return ruleWindows(slo).flatMap((ms) => {
    const range = promDuration(ms);
    const windowLabels = { ...labels, sloth_window: range };
    return [
      {
        record: `slo:sli_error:ratio_rate${range}`,
        expr: `(${verdictsOver(slo, "bad", range)})\n/\nclamp_min(${verdictsOver(slo, "all", range)}, 1)\n`,
        labels: windowLabels,
      },
      {
        record: `slo:burn_rate:ratio_rate${range}`,
        expr: `slo:sli_error:ratio_rate${range}${selector(windowLabels)} / ${budget}`,
        labels: windowLabels,
      },
    ];
  });
}

function metaRecordings(slo: Slo, labels: Record<string, string>): Rule[] {
  const { units, scale } = slo.objective.target;
  const shortest = promDuration(ruleWindows(slo)[0] ?? 3_600_000);
  const name = JSON.stringify(slo.name);
  const constant = (record: string, value: string): Rule => ({
    record,
    expr: `label_replace(vector(${value}), "slo", ${name}, "", "")`,
    labels,
  });
  return [
    constant("slo:objective:ratio", decimalText({ units, scale })),
    constant("slo:error_budget:ratio", errorBudget(slo)),
    constant("slo:time_period:days", String(nominalWindowMs(slo.window) / 86_400_000)),
    {
      record: "slo:current_burn_rate:ratio",
      expr: `slo:burn_rate:ratio_rate${shortest}${selector(labels)}`,
      labels,
    },
    {
      record: "slo:period_burn_rate:ratio",
      expr: `max by (slo) (${METRIC_NAMES.burnRate}{slo=${name}, window="window"})`,
      labels,
    },
    {
      record: "slo:period_error_budget_remaining:ratio",
      expr: `max by (slo) (${METRIC_NAMES.budgetRemainingRatio}{slo=${name}})`,
      labels,
    },
  ];
}

function alertRule(slo: Slo, rule: BurnRateRule, labels: Record<string, string>): Rule {
  const long = promDuration(rule.longWindowMs);
  const short = promDuration(rule.shortWindowMs);
  const threshold = rule.factor * (1 - EPSILON);
  const guard = slo.alerting.lowVolume.minBadAttempts;
  const expr = [
    `slo:burn_rate:ratio_rate${long}${selector(labels)} >= ${threshold}`,
    "and ignoring (sloth_window)",
    `slo:burn_rate:ratio_rate${short}${selector(labels)} >= ${threshold}`,
    "and on (slo)",
    `(${verdictsOver(slo, "bad", long)}) >= ${guard}`,
    "",
  ].join("\n");
  const out: Rule = {
    alert: ALERT_NAME,
    expr,
    labels: {
      ...Object.fromEntries(Object.entries(slo.alerting.labels).map(([k, v]) => [labelName(k), v])),
      ...labels,
      slo: slo.name,
      rule: rule.name,
      severity: rule.severity,
      sloth_severity: rule.severity,
    },
    annotations: {
      summary: `SLO ${slo.name}: error budget burning ${shown(rule.factor)} times too fast (${rule.name})`,
      description: `The burn rate over ${long} and over ${short} is at least ${shown(rule.factor)}: at this pace ${shown(rule.budgetFraction * 100)}% of the budget goes in ${long}.`,
      ...(slo.alerting.runbookUrl === null ? {} : { runbook_url: slo.alerting.runbookUrl }),
    },
  };
  if (rule.forMs > 0) out.for = promDuration(rule.forMs);
  return out;
}

/**
 * Prometheus recording and alerting rules for the SLOs, named after Sloth's conventions:
 * per SLO, error ratios and burn rates over every rule window from the verdict counters of
 * /metrics, the objective and budget, the period's figures from deployslo's own gauges, and
 * one alert per burn-rate rule. See docs/prometheus.md for where they match deployslo exactly.
 */
export function prometheusRules(slos: readonly Slo[]): string {
  const groups = slos.flatMap((slo) => {
    const labels = sloLabels(slo);
    const id = labels.sloth_id;
    const groups: Rule[] = [
      { name: `deployslo-slo-sli-recordings-${id}`, rules: sliRecordings(slo, labels) },
      { name: `deployslo-slo-meta-recordings-${id}`, rules: metaRecordings(slo, labels) },
    ];
    if (slo.alerting.rules.length > 0)
      groups.push({
        name: `deployslo-slo-alerts-${id}`,
        rules: slo.alerting.rules.map((rule) => alertRule(slo, rule, labels)),
      });
    return groups;
  });
  const header = "# Generated by deployslo export prometheus-rules. Do not edit: export again.\n";
  return header + stringify({ groups }, { lineWidth: 0, aliasDuplicateObjects: false });
}
