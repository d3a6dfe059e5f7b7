import { parseDuration } from "../../core/primitives/duration.js";
import { decimalOfNumber } from "../../core/primitives/exact-ratio.js";
import { nominalWindowMs } from "../../core/spec/alert-policy.js";
import type { Located } from "../../core/spec/located-yaml.js";
import { API_VERSION } from "../../core/spec/parse-slo-specs.js";
import { describeNode, fieldNode, type LocatedMap } from "../../core/spec/spec-fields.js";
import { importAlertPolicies } from "./openslo-alert-import.js";
import {
  annotation,
  asMap,
  type ImportContext,
  jsonAnnotation,
  openSloMap,
  resolveRef,
  scalarText,
} from "./openslo-context.js";
import {
  ANNOTATION_PREFIX,
  ANNOTATIONS,
  PLACEHOLDER_SERVICE,
  VERDICTS_METRIC,
} from "./openslo-vocabulary.js";
import { importWindow } from "./openslo-window-import.js";
import { decimalText } from "./slo-spec-document.js";

const SLO_SPEC_FIELDS = [
  "description",
  "service",
  "indicator",
  "indicatorRef",
  "timeWindow",
  "budgetingMethod",
  "objectives",
  "alertPolicies",
];
const OBJECTIVE_FIELDS = [
  "displayName",
  "op",
  "value",
  "target",
  "targetPercent",
  "timeSliceTarget",
  "timeSliceWindow",
  "indicator",
  "indicatorRef",
  "compositeWeight",
];
const METADATA_FIELDS = ["name", "displayName", "labels", "annotations"];
const DAY_MS = 86_400_000;

/** metadata.labels: strings, or lists of strings joined with commas (with a warning). */
function importLabels(ctx: ImportContext, node: Located | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const map = asMap(node);
  if (map === undefined) return out;
  for (const [key, entry] of map.entries) {
    const value = entry.value;
    if (value.kind === "seq") {
      const texts = value.items.map(scalarText).filter((t): t is string => t !== undefined);
      out[key] = texts.join(",");
      ctx.report.warning(
        value,
        `metadata.labels.${key}`,
        `deployslo labels hold one value: imported as "${out[key]}"`,
      );
    } else {
      const text = scalarText(value);
      if (text !== undefined) out[key] = text;
    }
  }
  return out;
}

/** The SLI (inline or by indicatorRef): deployslo measures what it records, not a metric source. */
function checkIndicator(
  ctx: ImportContext,
  spec: LocatedMap,
  hasIndicatorAnnotation: boolean,
): void {
  const ref = fieldNode(spec, "indicatorRef");
  const sli =
    ref !== undefined
      ? resolveRef(ctx, "SLI", ref, "spec.indicatorRef")
      : asMap(fieldNode(spec, "indicator"));
  if (sli === undefined) {
    if (ref === undefined)
      ctx.report.error(spec, "spec.indicator", "is required (or indicatorRef)");
    return;
  }
  const text = JSON.stringify(plain(sli));
  if (text.includes(VERDICTS_METRIC) || hasIndicatorAnnotation) return;
  ctx.report.warning(
    sli,
    ref === undefined ? "spec.indicator" : "spec.indicatorRef",
    "deployslo measures the attempts it records, not a metric source: imported as an SLO on deployment duration (add the deployslo/indicator annotation for a stage or a dependency)",
  );
}

/** A located value as plain data (for JSON and for copying into the deployslo spec). */
export function plain(node: Located | undefined): unknown {
  if (node === undefined) return undefined;
  if (node.kind === "scalar") return node.value;
  if (node.kind === "seq") return node.items.map(plain);
  return Object.fromEntries([...node.entries].map(([k, e]) => [k, plain(e.value)]));
}

/** threshold (deployslo/threshold, or op: lte with value in seconds) and target. */
function importObjective(
  ctx: ImportContext,
  spec: LocatedMap,
  metadata: LocatedMap | undefined,
): Record<string, unknown> | undefined {
  const list = fieldNode(spec, "objectives");
  if (list?.kind !== "seq" || list.items.length !== 1) {
    ctx.report.error(
      list ?? spec,
      "spec.objectives",
      "deployslo has one objective per SLO: give exactly one (split composite SLOs into one SLO per objective)",
    );
    return undefined;
  }
  const objective = openSloMap(list.items[0], "spec.objectives[0]", OBJECTIVE_FIELDS, ctx);
  if (objective === undefined) return undefined;
  for (const key of ["indicator", "indicatorRef", "compositeWeight"])
    if (fieldNode(objective, key) !== undefined)
      ctx.report.error(
        fieldNode(objective, key) ?? objective,
        `spec.objectives[0].${key}`,
        "composite SLOs cannot be honoured: deployslo has one indicator per SLO",
      );
  for (const key of ["timeSliceTarget", "timeSliceWindow"])
    if (fieldNode(objective, key) !== undefined)
      ctx.report.warning(
        fieldNode(objective, key) ?? objective,
        `spec.objectives[0].${key}`,
        "applies to Timeslices budgeting only; not imported",
      );
  let threshold = annotation(metadata, ANNOTATIONS.threshold)?.text;
  const opNode = fieldNode(objective, "op");
  const valueNode = fieldNode(objective, "value");
  if (threshold === undefined) {
    const op = scalarText(opNode);
    const value =
      valueNode?.kind === "scalar" && typeof valueNode.value === "number"
        ? valueNode.value
        : undefined;
    if (op === "lte" && value !== undefined && value > 0) {
      threshold = `${value}s`;
      ctx.report.warning(
        valueNode ?? objective,
        "spec.objectives[0].value",
        `read as seconds: the threshold is ${threshold}`,
      );
    } else {
      ctx.report.error(
        opNode ?? objective,
        "spec.objectives[0]",
        op === undefined
          ? "deployslo needs the duration threshold: the deployslo/threshold annotation, or op: lte with value in seconds"
          : `deployslo judges duration ≤ threshold: op must be lte with a value in seconds, got op ${op}`,
      );
      return undefined;
    }
  }
  const exactTarget = annotation(metadata, ANNOTATIONS.target)?.text;
  const targetNode = fieldNode(objective, "target");
  const percentNode = fieldNode(objective, "targetPercent");
  if (exactTarget !== undefined) return { threshold, target: exactTarget };
  if (percentNode?.kind === "scalar" && typeof percentNode.value === "number") {
    const p = percentNode.value;
    if (Number.isInteger(p) && p >= 1 && p <= 99) return { threshold, percentile: p };
    const decimal = decimalOfNumber(p);
    return { threshold, target: decimal === undefined ? String(p) : `${decimalText(decimal)}%` };
  }
  if (targetNode?.kind === "scalar" && typeof targetNode.value === "number") {
    const decimal = decimalOfNumber(targetNode.value);
    return {
      threshold,
      target: decimal === undefined ? String(targetNode.value) : decimalText(decimal),
    };
  }
  ctx.report.error(
    targetNode ?? percentNode ?? objective,
    "spec.objectives[0]",
    `needs target (0 to 1) or targetPercent (0 to 100), got ${targetNode === undefined ? "nothing" : describeNode(targetNode)}`,
  );
  return undefined;
}

function importBudgeting(
  ctx: ImportContext,
  spec: LocatedMap,
  metadata: LocatedMap | undefined,
): string | undefined {
  const node = fieldNode(spec, "budgetingMethod");
  const method = scalarText(node);
  if (method === "Occurrences")
    return annotation(metadata, ANNOTATIONS.budgeting)?.text ?? "occurrences";
  ctx.report.error(
    node ?? spec,
    "spec.budgetingMethod",
    method === "Timeslices" || method === "RatioTimeslices"
      ? `${method} cannot be honoured: deployslo budgets by occurrences (or by excess time, with the deployslo/budgeting annotation)`
      : `is required: Occurrences (got ${node === undefined ? "nothing" : describeNode(node)})`,
  );
  return undefined;
}

function windowMsOf(window: string | { calendar: string } | undefined): number {
  if (window === undefined) return 30 * DAY_MS;
  if (typeof window !== "string")
    return nominalWindowMs({
      kind: "calendar",
      unit: window.calendar === "week" ? "week" : "month",
    });
  const parsed = parseDuration(window);
  return parsed.ok ? parsed.ms : 30 * DAY_MS;
}

const KNOWN_ANNOTATIONS: readonly string[] = Object.values(ANNOTATIONS);

/** Annotations deployslo does not read are reported, not dropped silently. */
function checkAnnotations(ctx: ImportContext, metadata: LocatedMap | undefined): void {
  const map = asMap(fieldNode(metadata, "annotations"));
  for (const [key, entry] of map?.entries ?? []) {
    if (KNOWN_ANNOTATIONS.includes(key)) continue;
    ctx.report.warning(
      entry.keyPos,
      `metadata.annotations.${key}`,
      key.startsWith(ANNOTATION_PREFIX)
        ? "not a deployslo annotation (see docs/openslo.md): not imported"
        : "not imported: deployslo specs have no annotations",
    );
  }
}

/** One OpenSLO SLO document as a deployslo/v1 SLO document; undefined after an error. */
export function importSlo(
  ctx: ImportContext,
  root: LocatedMap,
): Record<string, unknown> | undefined {
  const errorsBefore = ctx.report.errorCount();
  const metadata = openSloMap(fieldNode(root, "metadata"), "metadata", METADATA_FIELDS, ctx);
  const spec = openSloMap(fieldNode(root, "spec"), "spec", SLO_SPEC_FIELDS, ctx);
  const name = scalarText(fieldNode(metadata, "name"));
  if (name === undefined) ctx.report.error(metadata ?? root, "metadata.name", "is required");
  if (spec === undefined) {
    ctx.report.error(root, "spec", "is required");
    return undefined;
  }
  const labels = importLabels(ctx, fieldNode(metadata, "labels"));
  const service = scalarText(fieldNode(spec, "service"));
  if (service !== undefined && service !== PLACEHOLDER_SERVICE && labels.service === undefined)
    labels.service = service;
  const displayName = fieldNode(metadata, "displayName");
  const specDescription = scalarText(fieldNode(spec, "description"));
  const description = specDescription ?? scalarText(displayName);
  if (specDescription !== undefined && displayName !== undefined)
    ctx.report.warning(
      displayName,
      "metadata.displayName",
      "not imported: deployslo keeps spec.description as the SLO's description",
    );
  checkAnnotations(ctx, metadata);
  const selector = jsonAnnotation(ctx, metadata, ANNOTATIONS.selector);
  const indicator = jsonAnnotation(ctx, metadata, ANNOTATIONS.indicator);
  checkIndicator(ctx, spec, indicator !== undefined);
  const objective = importObjective(ctx, spec, metadata);
  const budgeting = importBudgeting(ctx, spec, metadata);
  const window = importWindow(
    ctx,
    fieldNode(spec, "timeWindow"),
    annotation(metadata, ANNOTATIONS.window)?.text,
    spec,
  );
  const alerting = (jsonAnnotation(ctx, metadata, ANNOTATIONS.alerting) ?? {}) as Record<
    string,
    unknown
  >;
  const defaults = annotation(metadata, ANNOTATIONS.defaultRules)?.text === "true";
  const policies = importAlertPolicies(ctx, fieldNode(spec, "alertPolicies"), windowMsOf(window));
  if (policies !== undefined && !defaults) {
    alerting.rules = policies.rules;
    if (alerting.notify === undefined && policies.notify.length > 0)
      alerting.notify = policies.notify;
    const exported = annotation(metadata, ANNOTATIONS.threshold) !== undefined;
    if (!exported && policies.rules.length === 0 && fieldNode(spec, "alertPolicies") === undefined)
      ctx.report.warning(
        spec,
        "spec.alertPolicies",
        "absent: imported with no burn-rate rules (rules: []); delete that line to use deployslo's default rules",
      );
  }
  const policy = jsonAnnotation(ctx, metadata, ANNOTATIONS.policy);
  const stageBudgets = jsonAnnotation(ctx, metadata, ANNOTATIONS.stageBudgets);
  if (ctx.report.errorCount() > errorsBefore || objective === undefined) return undefined;
  const out: Record<string, unknown> = {};
  if (selector !== undefined) out.selector = selector;
  if (indicator !== undefined) out.indicator = indicator;
  out.objective = objective;
  out.budgeting = budgeting;
  if (window !== undefined) out.window = window;
  const timeout = annotation(metadata, ANNOTATIONS.inProgressTimeout)?.text;
  if (timeout !== undefined) out.inProgressTimeout = timeout;
  if (Object.keys(alerting).length > 0) out.alerting = alerting;
  if (policy !== undefined) out.policy = policy;
  if (stageBudgets !== undefined) out.stageBudgets = stageBudgets;
  const meta: Record<string, unknown> = { name };
  if (description !== undefined) meta.description = description;
  if (Object.keys(labels).length > 0) meta.labels = labels;
  return { apiVersion: API_VERSION, kind: "SLO", metadata: meta, spec: out };
}
