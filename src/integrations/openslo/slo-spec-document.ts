import { formatDuration } from "../../core/primitives/duration.js";
import type { Decimal } from "../../core/primitives/exact-ratio.js";
import {
  type BaselinePolicy,
  DEFAULT_BASELINE,
  DEFAULT_LOW_VOLUME,
  defaultForecastHorizon,
} from "../../core/spec/alert-policy.js";
import { DEFAULT_POLICY, REPORT_ONLY_POLICY } from "../../core/spec/gate-policy.js";
import { defaultInProgressTimeoutMs } from "../../core/spec/in-progress-timeout.js";
import { API_VERSION } from "../../core/spec/parse-slo-specs.js";
import type { Slo } from "../../core/spec/slo.js";

/** `units / scale` written out exactly ("0.9995"), with no trailing zeros. */
export function decimalText(value: Decimal): string {
  const digits = value.scale.toString().length - 1;
  const padded = value.units.toString().padStart(digits + 1, "0");
  const whole = padded.slice(0, padded.length - digits);
  const fraction = padded.slice(padded.length - digits).replace(/0+$/, "");
  return fraction === "" ? whole : `${whole}.${fraction}`;
}

function windowField(slo: Slo): string | { calendar: string } {
  return slo.window.kind === "rolling"
    ? formatDuration(slo.window.ms)
    : { calendar: slo.window.unit };
}

function sameBaseline(a: BaselinePolicy | null, b: BaselinePolicy): boolean {
  return (
    a !== null &&
    a.factor === b.factor &&
    a.recentMs === b.recentMs &&
    a.baselineMs === b.baselineMs &&
    a.minSamples === b.minSamples
  );
}

/** `spec.alerting` as written: only what differs from what an absent section means. */
export function alertingField(slo: Slo): Record<string, unknown> {
  const a = slo.alerting;
  const out: Record<string, unknown> = {};
  if (!a.defaultRules)
    out.rules = a.rules.map((rule) => ({
      name: rule.name,
      severity: rule.severity,
      longWindow: formatDuration(rule.longWindowMs),
      shortWindow: formatDuration(rule.shortWindowMs),
      budgetFraction: rule.budgetFraction,
      ...(rule.forMs > 0 ? { for: formatDuration(rule.forMs) } : {}),
    }));
  if (a.notify.length > 0) out.notify = [...a.notify];
  if (Object.keys(a.labels).length > 0) out.labels = { ...a.labels };
  if (a.runbookUrl !== null) out.runbookUrl = a.runbookUrl;
  const { minAttempts, minBadAttempts } = a.lowVolume;
  if (minAttempts === 0 && minBadAttempts === 1) out.lowVolume = false;
  else if (
    minAttempts !== DEFAULT_LOW_VOLUME.minAttempts ||
    minBadAttempts !== DEFAULT_LOW_VOLUME.minBadAttempts
  )
    out.lowVolume = { minBadAttempts, minAttempts };
  if (a.forecast.horizonMs === null) out.forecast = false;
  else if (a.forecast.horizonMs !== defaultForecastHorizon(slo.window))
    out.forecast = { horizon: formatDuration(a.forecast.horizonMs) };
  if (slo.indicator.kind === "dependency" && !sameBaseline(a.baseline, DEFAULT_BASELINE))
    out.baseline =
      a.baseline === null
        ? false
        : {
            factor: a.baseline.factor,
            recent: formatDuration(a.baseline.recentMs),
            baseline: formatDuration(a.baseline.baselineMs),
            minSamples: a.baseline.minSamples,
          };
  return out;
}

/** `spec.policy` as written, or undefined when it is the default for the SLO's indicator. */
export function policyField(slo: Slo): Record<string, unknown> | undefined {
  const fallback = slo.indicator.kind === "dependency" ? REPORT_ONLY_POLICY : DEFAULT_POLICY;
  const p = slo.policy;
  // A policy written in the spec travels even when it says what the default says: the
  // dashboard tells a declared policy from the default one.
  const same =
    !p.declared &&
    p.freezeWhenExhausted === fallback.freezeWhenExhausted &&
    p.approvalBelow === fallback.approvalBelow &&
    p.approvalAboveBreachProbability === fallback.approvalAboveBreachProbability &&
    p.exempt.join() === fallback.exempt.join();
  if (same) return undefined;
  return {
    freezeWhenExhausted: p.freezeWhenExhausted,
    ...(p.approvalBelow === null ? {} : { approvalBelow: p.approvalBelow }),
    ...(p.approvalAboveBreachProbability === null
      ? {}
      : { approvalAboveBreachProbability: p.approvalAboveBreachProbability }),
    exempt: [...p.exempt],
  };
}

/** `spec.indicator` as written, or undefined for the whole deployment (the default). */
export function indicatorField(slo: Slo): Record<string, unknown> | undefined {
  const { indicator } = slo;
  if (indicator.kind === "stage") return { stage: indicator.stage };
  if (indicator.kind === "dependency") return { dependency: indicator.dependency };
  if (indicator.kind === "span")
    return {
      ...(indicator.from === null ? {} : { from: { ...indicator.from } }),
      ...(indicator.to === null ? {} : { to: { ...indicator.to } }),
    };
  return undefined;
}

/** `spec.selector` as written, or undefined when it selects every attempt. */
export function selectorField(slo: Slo): Record<string, unknown> | undefined {
  const { environment, model, labels, attributes = {} } = slo.selector;
  const out: Record<string, unknown> = {};
  if (environment !== null) out.environment = environment;
  if (model !== null) out.model = model;
  if (Object.keys(labels).length > 0) out.labels = { ...labels };
  if (Object.keys(attributes).length > 0) out.attributes = { ...attributes };
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * An SLO as a `deployslo/v1` document that parses back to the same SLO: every field the
 * parser would not fill in by itself is written, defaults are left out.
 */
export function sloSpecDocument(slo: Slo): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: slo.name };
  if (slo.description !== null) metadata.description = slo.description;
  if (Object.keys(slo.labels).length > 0) metadata.labels = { ...slo.labels };
  const objective =
    slo.objective.percentile !== null
      ? {
          threshold: formatDuration(slo.objective.thresholdMs),
          percentile: slo.objective.percentile,
        }
      : {
          threshold: formatDuration(slo.objective.thresholdMs),
          target: decimalText(slo.objective.target),
        };
  const spec: Record<string, unknown> = {};
  const selector = selectorField(slo);
  if (selector !== undefined) spec.selector = selector;
  const indicator = indicatorField(slo);
  if (indicator !== undefined) spec.indicator = indicator;
  spec.objective = objective;
  spec.budgeting = slo.budgeting;
  spec.window = windowField(slo);
  if (slo.inProgressTimeoutMs !== defaultInProgressTimeoutMs(slo.objective.thresholdMs))
    spec.inProgressTimeout = formatDuration(slo.inProgressTimeoutMs);
  const alerting = alertingField(slo);
  if (Object.keys(alerting).length > 0) spec.alerting = alerting;
  const policy = policyField(slo);
  if (policy !== undefined) spec.policy = policy;
  return { apiVersion: API_VERSION, kind: "SLO", metadata, spec };
}
