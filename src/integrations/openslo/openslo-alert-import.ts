import { formatDuration } from "../../core/primitives/duration.js";
import type { Located } from "../../core/spec/located-yaml.js";
import { describeNode, fieldNode, type LocatedMap } from "../../core/spec/spec-fields.js";
import {
  annotation,
  type ImportContext,
  openSloMap,
  resolveRef,
  scalarText,
} from "./openslo-context.js";
import { parseShorthand } from "./openslo-duration.js";
import { ANNOTATIONS } from "./openslo-vocabulary.js";

const POLICY_FIELDS = [
  "description",
  "alertWhenNoData",
  "alertWhenResolved",
  "alertWhenBreaching",
  "conditions",
  "notificationTargets",
];
/** The Workbook's pairs (1h/5m, 6h/30m, 3d/6h) keep the short window at a twelfth of the long. */
const SHORT_WINDOW_SHARE = 12;

export interface ImportedAlerting {
  readonly rules: Record<string, unknown>[];
  readonly notify: string[];
}

function shorthandMs(
  ctx: ImportContext,
  node: Located | undefined,
  path: string,
  allowZero = false,
): number | undefined {
  const text = scalarText(node);
  if (node === undefined || text === undefined) return undefined;
  const parsed = parseShorthand(text, allowZero);
  if (parsed.ok && "ms" in parsed) return parsed.ms;
  ctx.report.error(
    node,
    path,
    parsed.ok ? `${text} has no fixed length: write it in m, h, d or w` : parsed.reason,
  );
  return undefined;
}

/** The policy's AlertPolicy mapping: inline (`kind`, `metadata`, `spec`) or `alertPolicyRef`. */
function policyDocument(ctx: ImportContext, node: Located, path: string): LocatedMap | undefined {
  const map = openSloMap(node, path, ["alertPolicyRef", "kind", "metadata", "spec"], ctx);
  const ref = fieldNode(map, "alertPolicyRef");
  if (ref !== undefined) return resolveRef(ctx, "AlertPolicy", ref, `${path}.alertPolicyRef`);
  return map;
}

function conditionDocument(
  ctx: ImportContext,
  spec: LocatedMap,
  path: string,
): LocatedMap | undefined {
  const conditions = fieldNode(spec, "conditions");
  if (conditions?.kind !== "seq" || conditions.items.length !== 1) {
    ctx.report.error(
      conditions ?? spec,
      `${path}.conditions`,
      "must hold exactly one condition (OpenSLO v1 allows one per policy)",
    );
    return undefined;
  }
  const item = openSloMap(
    conditions.items[0],
    `${path}.conditions[0]`,
    ["conditionRef", "kind", "metadata", "spec"],
    ctx,
  );
  const ref = fieldNode(item, "conditionRef");
  if (ref !== undefined)
    return resolveRef(ctx, "AlertCondition", ref, `${path}.conditions[0].conditionRef`);
  return item;
}

function flagWarnings(ctx: ImportContext, spec: LocatedMap, path: string): void {
  const flag = (key: string) => fieldNode(spec, key);
  const noData = flag("alertWhenNoData");
  if (noData?.kind === "scalar" && noData.value === true)
    ctx.report.warning(
      noData,
      `${path}.alertWhenNoData`,
      "cannot be honoured: deployslo does not alert when no attempts arrive",
    );
  const resolved = flag("alertWhenResolved");
  if (resolved?.kind === "scalar" && resolved.value === false)
    ctx.report.warning(
      resolved,
      `${path}.alertWhenResolved`,
      "cannot be honoured: deployslo notifies when an alert resolves too",
    );
  const breaching = flag("alertWhenBreaching");
  if (breaching?.kind === "scalar" && breaching.value === false)
    ctx.report.warning(
      breaching,
      `${path}.alertWhenBreaching`,
      "cannot be honoured: deployslo alerts while the condition holds",
    );
}

function notifyNames(ctx: ImportContext, spec: LocatedMap, path: string): string[] {
  const targets = fieldNode(spec, "notificationTargets");
  if (targets?.kind !== "seq") return [];
  return targets.items.flatMap((item, i) => {
    const map = openSloMap(
      item,
      `${path}.notificationTargets[${i}]`,
      ["targetRef", "kind", "metadata", "spec"],
      ctx,
    );
    const ref = scalarText(fieldNode(map, "targetRef"));
    if (ref !== undefined) {
      const found = ctx.byKind.get("AlertNotificationTarget")?.get(ref);
      if (found !== undefined) found.used = true;
      return [ref];
    }
    const name = scalarText(
      fieldNode(fieldNode(map, "metadata") as LocatedMap | undefined, "name"),
    );
    if (name === undefined) return [];
    ctx.report.warning(
      item,
      `${path}.notificationTargets[${i}]`,
      `an inline notification target becomes the name "${name}": write a NotificationTarget document of that name (docs/notifications.md)`,
    );
    return [name];
  });
}

interface RuleParts {
  readonly name: string | undefined;
  readonly severity: string | undefined;
  readonly factor: number | undefined;
  readonly longMs: number | undefined;
  readonly forMs: number | undefined;
}

/** The burn-rate condition: kind burnrate, op gte (or gt), threshold, lookbackWindow, alertAfter. */
function conditionParts(
  ctx: ImportContext,
  root: LocatedMap,
  path: string,
  metadata: LocatedMap | undefined,
): RuleParts {
  const spec = openSloMap(
    fieldNode(root, "spec"),
    `${path}.spec`,
    ["description", "severity", "condition"],
    ctx,
  );
  const cond = openSloMap(
    fieldNode(spec, "condition"),
    `${path}.spec.condition`,
    ["kind", "op", "threshold", "lookbackWindow", "alertAfter"],
    ctx,
  );
  const cpath = `${path}.spec.condition`;
  const kind = scalarText(fieldNode(cond, "kind")) ?? "burnrate";
  if (kind !== "burnrate")
    ctx.report.error(
      fieldNode(cond, "kind") ?? root,
      `${cpath}.kind`,
      `only burnrate conditions can be honoured, got ${kind}`,
    );
  const opNode = fieldNode(cond, "op");
  const op = scalarText(opNode);
  if (op === "gt")
    ctx.report.warning(
      opNode ?? root,
      `${cpath}.op`,
      "deployslo's rules hold at the threshold or above (gte)",
    );
  else if (op !== "gte")
    ctx.report.error(
      opNode ?? cond ?? root,
      `${cpath}.op`,
      `a burn-rate rule alerts on fast burns: op must be gte (or gt), got ${op ?? "nothing"}`,
    );
  const thresholdNode = fieldNode(cond, "threshold");
  const factor =
    thresholdNode?.kind === "scalar" && typeof thresholdNode.value === "number"
      ? thresholdNode.value
      : undefined;
  if (factor === undefined || factor <= 0)
    ctx.report.error(
      thresholdNode ?? cond ?? root,
      `${cpath}.threshold`,
      "must be a burn rate above 0 (e.g. 14.4)",
    );
  const exactLong = annotation(metadata, ANNOTATIONS.longWindow)?.text;
  const lookback = fieldNode(cond, "lookbackWindow");
  if (lookback === undefined && exactLong === undefined)
    ctx.report.error(cond ?? root, `${cpath}.lookbackWindow`, "is required (e.g. 1h)");
  const longMs =
    exactLong !== undefined ? undefined : shorthandMs(ctx, lookback, `${cpath}.lookbackWindow`);
  const exactFor = annotation(metadata, ANNOTATIONS.for)?.text;
  const forMs =
    exactFor !== undefined
      ? undefined
      : shorthandMs(ctx, fieldNode(cond, "alertAfter"), `${cpath}.alertAfter`, true);
  const severityNode = fieldNode(spec, "severity");
  const severity = scalarText(severityNode);
  if (severity !== "page" && severity !== "ticket")
    ctx.report.error(
      severityNode ?? spec ?? root,
      `${path}.spec.severity`,
      `deployslo's severities are page and ticket, got ${severityNode === undefined ? "nothing" : describeNode(severityNode)}`,
    );
  return { name: undefined, severity, factor, longMs, forMs };
}

function ruleOf(
  ctx: ImportContext,
  node: Located,
  path: string,
  windowMs: number,
): { rule: Record<string, unknown> | undefined; notify: string[] } {
  const policy = policyDocument(ctx, node, path);
  const metadata = openSloMap(
    fieldNode(policy, "metadata"),
    `${path}.metadata`,
    ["name", "displayName", "labels", "annotations"],
    ctx,
  );
  const spec = openSloMap(fieldNode(policy, "spec"), `${path}.spec`, POLICY_FIELDS, ctx);
  if (policy === undefined || spec === undefined) return { rule: undefined, notify: [] };
  flagWarnings(ctx, spec, `${path}.spec`);
  const notify = notifyNames(ctx, spec, `${path}.spec`);
  const condition = conditionDocument(ctx, spec, `${path}.spec`);
  if (condition === undefined) return { rule: undefined, notify };
  const conditionMeta = fieldNode(condition, "metadata") as LocatedMap | undefined;
  const parts = conditionParts(ctx, condition, `${path}.spec.conditions[0]`, metadata);
  const name =
    scalarText(fieldNode(metadata, "name")) ?? scalarText(fieldNode(conditionMeta, "name"));
  const exact = (key: string) => annotation(metadata, key)?.text;
  const longWindow =
    exact(ANNOTATIONS.longWindow) ??
    (parts.longMs === undefined ? undefined : formatDuration(parts.longMs));
  const longMs = parts.longMs ?? 0;
  let shortWindow = exact(ANNOTATIONS.shortWindow);
  if (shortWindow === undefined && parts.longMs !== undefined) {
    shortWindow = formatDuration(Math.max(1, Math.round(parts.longMs / SHORT_WINDOW_SHARE)));
    ctx.report.warning(
      fieldNode(policy, "spec") ?? node,
      `${path}.spec`,
      `OpenSLO has no short window: using ${shortWindow}, a twelfth of the lookback window as in the SRE Workbook`,
    );
  }
  const fraction = exact(ANNOTATIONS.budgetFraction);
  const budgetFraction =
    fraction !== undefined
      ? Number(fraction)
      : parts.factor === undefined || longMs === 0
        ? undefined
        : (parts.factor * longMs) / windowMs;
  if (
    name === undefined ||
    parts.severity === undefined ||
    longWindow === undefined ||
    shortWindow === undefined ||
    budgetFraction === undefined
  )
    return { rule: undefined, notify };
  const forText =
    exact(ANNOTATIONS.for) ??
    (parts.forMs === undefined || parts.forMs === 0 ? undefined : formatDuration(parts.forMs));
  const rule: Record<string, unknown> = {
    name,
    severity: parts.severity,
    longWindow,
    shortWindow,
    budgetFraction,
  };
  if (forText !== undefined) rule.for = forText;
  return { rule, notify };
}

/** `spec.alertPolicies` as deployslo burn-rate rules, one per policy, and the targets they name. */
export function importAlertPolicies(
  ctx: ImportContext,
  node: Located | undefined,
  windowMs: number,
): ImportedAlerting | undefined {
  if (node === undefined) return { rules: [], notify: [] };
  if (node.kind !== "seq") {
    ctx.report.error(node, "spec.alertPolicies", `must be a list, got ${describeNode(node)}`);
    return undefined;
  }
  const rules: Record<string, unknown>[] = [];
  const notify: string[] = [];
  let ok = true;
  node.items.forEach((item, i) => {
    const converted = ruleOf(ctx, item, `spec.alertPolicies[${i}]`, windowMs);
    if (converted.rule === undefined) ok = false;
    else rules.push(converted.rule);
    for (const name of converted.notify) if (!notify.includes(name)) notify.push(name);
  });
  return ok ? { rules, notify } : undefined;
}
