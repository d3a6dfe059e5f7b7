import { closestName } from "../primitives/closest-name.js";
import type { DurationBounds } from "../primitives/duration.js";
import {
  type Decimal,
  decimalOfNumber,
  decimalToNumber,
  parseDecimal,
  percentToFraction,
} from "../primitives/exact-ratio.js";
import type { Diagnostic } from "./diagnostic.js";
import { DOCUMENT_KINDS } from "./document-kinds.js";
import { REPORT_ONLY_POLICY } from "./gate-policy.js";
import { defaultInProgressTimeoutMs } from "./in-progress-timeout.js";
import { type Located, type Position, parseLocatedYaml } from "./located-yaml.js";
import { parseAlerting } from "./parse-alerting.js";
import { parseGatePolicy } from "./parse-gate-policy.js";
import { parseStageBudgets } from "./parse-stage-budgets.js";
import type {
  Budgeting,
  Indicator,
  Objective,
  Selector,
  Slo,
  SloWindow,
  SpanPoint,
} from "./slo.js";
import {
  describeNode as describe,
  durationValue as duration,
  fieldNode as field,
  joinPath as join,
  type LocatedMap,
  mappingNode as mapping,
  parseMetadata,
  SpecReport as Report,
  repeatedNames,
  stringMapValue as stringMap,
  textValue as text,
} from "./spec-fields.js";

export const API_VERSION = "deployslo/v1";
const SLO_NAME = {
  pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
  description:
    "1–63 lowercase letters, digits or dashes, starting and ending with a letter or digit",
};
const DAY_MS = 86_400_000;
/** A rolling window is 1h to 400d. */
const ROLLING_WINDOW: DurationBounds = Object.freeze({ minMs: 3_600_000, maxMs: 400 * DAY_MS });
const DEFAULT_WINDOW: SloWindow = Object.freeze({ kind: "rolling", ms: 30 * DAY_MS });

export interface SpecParse {
  readonly slos: readonly Slo[];
  readonly diagnostics: readonly Diagnostic[];
}

function parseTarget(node: Located, path: string, report: Report): Decimal | undefined {
  let value: Decimal | undefined;
  let shown = "";
  if (node.kind === "scalar" && typeof node.value === "number") {
    shown = String(node.value);
    value = decimalOfNumber(node.value);
    if (value !== undefined && node.value > 1 && node.value <= 100) {
      report.error(node, path, `target ${shown} looks like a percentage: write ${shown}%`);
      return undefined;
    }
  } else if (node.kind === "scalar" && typeof node.value === "string") {
    shown = node.value.trim();
    const percent = shown.endsWith("%");
    const parsed = parseDecimal(percent ? shown.slice(0, -1).trim() : shown);
    value = parsed !== undefined && percent ? percentToFraction(parsed) : parsed;
    if (
      parsed !== undefined &&
      !percent &&
      decimalToNumber(parsed) > 1 &&
      decimalToNumber(parsed) <= 100
    ) {
      report.error(node, path, `target ${shown} looks like a percentage: write ${shown}%`);
      return undefined;
    }
  }
  if (value === undefined) {
    report.error(
      node,
      path,
      `must be a fraction like 0.99 or a percentage like 99%, got ${describe(node)}`,
    );
    return undefined;
  }
  if (value.units >= value.scale) {
    report.error(
      node,
      path,
      `a target of ${shown} (100% or more) leaves no error budget: every slow or failed deployment would breach it; choose a target below 100%`,
    );
    return undefined;
  }
  if (value.units === 0n) {
    report.error(node, path, "a target of 0 would count nothing: choose a target above 0%");
    return undefined;
  }
  if (value.units * 2n < value.scale) {
    report.warning(
      node,
      path,
      `target ${shown} is below 50%: most deployments may miss the threshold`,
    );
  }
  return value;
}

function parsePercentile(node: Located, path: string, report: Report): number | undefined {
  let value: number | undefined;
  if (node.kind === "scalar" && typeof node.value === "number") value = node.value;
  else if (node.kind === "scalar" && typeof node.value === "string") {
    const match = /^p?(\d+)$/.exec(node.value.trim());
    if (match?.[1] !== undefined) value = Number(match[1]);
  }
  if (value === undefined || !Number.isInteger(value) || value < 1 || value > 99) {
    report.error(
      node,
      path,
      `must be a whole percentile from 1 to 99 (e.g. 95 or p95), got ${describe(node)}`,
    );
    return undefined;
  }
  return value;
}

function parseObjective(node: Located | undefined, path: string, report: Report, at: Position) {
  const map = mapping(node, path, ["threshold", "target", "percentile"], report);
  if (node === undefined) {
    report.error(at, path, "is required (threshold and target)");
    return undefined;
  }
  if (map === undefined) return undefined;
  const thresholdNode = field(map, "threshold");
  const targetNode = field(map, "target");
  const percentileNode = field(map, "percentile");
  let thresholdMs: number | undefined;
  if (thresholdNode === undefined)
    report.error(map, join(path, "threshold"), "is required (e.g. 5m)");
  else {
    thresholdMs = duration(thresholdNode, join(path, "threshold"), report);
    if (thresholdMs === 0) {
      report.error(
        thresholdNode,
        join(path, "threshold"),
        "a threshold of 0 makes every deployment bad: give a positive duration",
      );
      thresholdMs = undefined;
    }
  }
  let target: Decimal | undefined;
  let percentile: number | null = null;
  if (targetNode !== undefined && percentileNode !== undefined) {
    report.error(
      percentileNode,
      join(path, "percentile"),
      "give either target or percentile, not both",
    );
  } else if (targetNode !== undefined) {
    target = parseTarget(targetNode, join(path, "target"), report);
  } else if (percentileNode !== undefined) {
    const p = parsePercentile(percentileNode, join(path, "percentile"), report);
    if (p !== undefined) {
      percentile = p;
      target = { units: BigInt(p), scale: 100n };
    }
  } else {
    report.error(map, join(path, "target"), "is required (e.g. target: 99% or percentile: 95)");
  }
  if (thresholdMs === undefined || target === undefined) return undefined;
  const objective: Objective = { thresholdMs, target, percentile };
  return objective;
}

function parseWindow(
  node: Located | undefined,
  path: string,
  report: Report,
): SloWindow | undefined {
  if (node === undefined) return DEFAULT_WINDOW;
  let window: SloWindow | undefined;
  let where: Located = node;
  if (node.kind === "map") {
    const map = mapping(node, path, ["rolling", "calendar"], report);
    const rolling = field(map, "rolling");
    const calendar = field(map, "calendar");
    if (rolling !== undefined && calendar !== undefined) {
      report.error(node, path, "give either rolling or calendar, not both");
      return undefined;
    }
    if (calendar !== undefined) {
      const unit = calendar.kind === "scalar" ? calendar.value : undefined;
      if (unit === "month" || unit === "week") return { kind: "calendar", unit };
      report.error(
        calendar,
        join(path, "calendar"),
        `must be month or week, got ${describe(calendar)}`,
      );
      return undefined;
    }
    if (rolling === undefined) {
      report.error(node, path, "needs rolling: DURATION or calendar: month|week");
      return undefined;
    }
    where = rolling;
    const ms = duration(rolling, join(path, "rolling"), report, ROLLING_WINDOW);
    if (ms !== undefined) window = { kind: "rolling", ms };
  } else {
    const ms = duration(node, path, report, ROLLING_WINDOW);
    if (ms !== undefined) window = { kind: "rolling", ms };
  }
  if (window?.kind === "rolling") {
    if (window.ms < ROLLING_WINDOW.minMs) {
      report.error(where, path, "a rolling window must be at least 1h");
      return undefined;
    }
    if (window.ms < DAY_MS) {
      report.warning(
        where,
        path,
        "a window shorter than 1d holds few deployments: compliance will swing widely",
      );
    }
    if (window.ms > ROLLING_WINDOW.maxMs) {
      report.error(where, path, "a rolling window can be at most 400d");
      return undefined;
    }
  }
  return window;
}

const SPAN_DEFAULTS = {
  from: "the promote request (startedAt)",
  to: "the first successful inference (servingAt)",
} as const;

/** `from:` or `to:` of an indicator: `{stage: NAME, at: start|end}`. */
function parseSpanPoint(
  node: Located,
  path: string,
  end: "from" | "to",
  report: Report,
): SpanPoint | undefined {
  const example = end === "from" ? "{stage: approval, at: end}" : "{stage: shift-traffic, at: end}";
  if (node.kind !== "map") {
    report.error(
      node,
      path,
      `must be a mapping like ${example}, got ${describe(node)} (omit ${end} to measure ${end} ${SPAN_DEFAULTS[end]})`,
    );
    return undefined;
  }
  const map = mapping(node, path, ["stage", "at"], report);
  const stageNode = field(map, "stage");
  const atNode = field(map, "at");
  if (stageNode === undefined) report.error(node, join(path, "stage"), `is required: ${example}`);
  if (atNode === undefined)
    report.error(node, join(path, "at"), `is required: start or end of the stage (${example})`);
  const stage = text(stageNode, join(path, "stage"), report);
  let at: SpanPoint["at"] | undefined;
  if (atNode !== undefined) {
    if (atNode.kind === "scalar" && (atNode.value === "start" || atNode.value === "end"))
      at = atNode.value;
    else report.error(atNode, join(path, "at"), `must be start or end, got ${describe(atNode)}`);
  }
  return stage === undefined || at === undefined ? undefined : { stage, at };
}

/** `indicator: {from: …, to: …}`: the deployment between two other points. */
function parseSpan(map: LocatedMap, path: string, report: Report): Indicator | undefined {
  const fromNode = field(map, "from");
  const toNode = field(map, "to");
  const errors = report.errorCount();
  const from =
    fromNode === undefined ? null : parseSpanPoint(fromNode, join(path, "from"), "from", report);
  const to = toNode === undefined ? null : parseSpanPoint(toNode, join(path, "to"), "to", report);
  if (from === undefined || to === undefined || report.errorCount() > errors) return undefined;
  if (from !== null && to !== null && from.stage === to.stage) {
    if (from.at === to.at || from.at === "end") {
      report.error(
        toNode ?? map,
        join(path, "to"),
        `must come after from (${from.stage} ${from.at}): measure from ${from.stage} start to ${from.stage} end, or use indicator: {stage: ${from.stage}}`,
      );
      return undefined;
    }
  }
  return { kind: "span", from, to };
}

function parseIndicator(
  node: Located | undefined,
  path: string,
  report: Report,
): Indicator | undefined {
  if (node === undefined) return { kind: "deployment" };
  const map = mapping(node, path, ["stage", "dependency", "from", "to"], report);
  if (map === undefined) return undefined;
  const stage = field(map, "stage");
  const dependency = field(map, "dependency");
  const point = map.entries.get("from") ?? map.entries.get("to");
  if (point !== undefined && (stage !== undefined || dependency !== undefined)) {
    report.error(
      point.keyPos,
      path,
      "from and to measure the deployment between other points: give them without stage or dependency",
    );
    return undefined;
  }
  if (point !== undefined) return parseSpan(map, path, report);
  if (stage !== undefined && dependency !== undefined) {
    report.error(map, path, "give either stage or dependency, not both");
    return undefined;
  }
  if (dependency !== undefined) {
    const name = text(dependency, join(path, "dependency"), report);
    return name === undefined ? undefined : { kind: "dependency", dependency: name };
  }
  if (stage === undefined) {
    report.error(
      map,
      path,
      "needs stage: NAME, dependency: NAME, or from/to: {stage: NAME, at: start|end} (omit indicator to measure the whole deployment)",
    );
    return undefined;
  }
  const name = text(stage, join(path, "stage"), report);
  return name === undefined ? undefined : { kind: "stage", stage: name };
}

function parseSelector(node: Located | undefined, report: Report): Selector {
  const path = "spec.selector";
  const map = mapping(node, path, ["environment", "model", "labels", "attributes"], report);
  const environment = field(map, "environment");
  const model = field(map, "model");
  const attributes = stringMap(field(map, "attributes"), join(path, "attributes"), report);
  return {
    ...(Object.keys(attributes).length === 0 ? {} : { attributes }),
    environment:
      environment === undefined
        ? null
        : (text(environment, join(path, "environment"), report) ?? null),
    model: model === undefined ? null : (text(model, join(path, "model"), report) ?? null),
    labels: stringMap(field(map, "labels"), join(path, "labels"), report),
  };
}

function parseBudgeting(node: Located | undefined, report: Report): Budgeting | undefined {
  if (node === undefined) return "occurrences";
  if (node.kind === "scalar" && (node.value === "occurrences" || node.value === "excess-time")) {
    return node.value;
  }
  report.error(node, "spec.budgeting", `must be occurrences or excess-time, got ${describe(node)}`);
  return undefined;
}

/** Checks apiVersion and kind; false (after reporting, unless it is another kind read from the same files) when it is no SLO. */
function isSloDocument(top: LocatedMap, report: Report): boolean {
  const apiVersion = field(top, "apiVersion");
  const kind = field(top, "kind");
  if (apiVersion === undefined)
    report.error(top, "apiVersion", `is required: apiVersion: ${API_VERSION}`);
  else if (apiVersion.kind !== "scalar" || apiVersion.value !== API_VERSION) {
    report.error(apiVersion, "apiVersion", `must be ${API_VERSION}, got ${describe(apiVersion)}`);
  }
  if (kind === undefined) {
    report.error(top, "kind", "is required: kind: SLO");
    return false;
  }
  if (kind.kind !== "scalar" || kind.value !== "SLO") {
    // Parsed by parse-notification-targets.ts from the same files.
    if (kind.kind === "scalar" && kind.value === "NotificationTarget") return false;
    if (kind.kind === "scalar" && kind.value === "Pipeline") {
      report.error(kind, "kind", "a Pipeline goes in a file of its own, not with SLOs");
      return false;
    }
    const guess =
      kind.kind === "scalar" && typeof kind.value === "string"
        ? closestName(kind.value, DOCUMENT_KINDS)
        : undefined;
    const hint = guess === undefined ? "" : ` (did you mean "${guess}"?)`;
    report.error(kind, "kind", `must be SLO or NotificationTarget, got ${describe(kind)}${hint}`);
    return false;
  }
  return true;
}

/** `spec.inProgressTimeout`: null when absent, undefined after reporting an error. */
function parseInProgressTimeout(
  timeoutNode: Located | undefined,
  report: Report,
  objective: { readonly thresholdMs: number } | undefined,
): number | null | undefined {
  if (timeoutNode === undefined) return null;
  const ms = duration(timeoutNode, "spec.inProgressTimeout", report);
  if (ms === 0) {
    report.error(
      timeoutNode,
      "spec.inProgressTimeout",
      "a timeout of 0 ends every attempt at once: give a positive duration, e.g. 6h",
    );
    return undefined;
  }
  if (ms !== undefined && objective !== undefined && ms <= objective.thresholdMs) {
    report.error(
      timeoutNode,
      "spec.inProgressTimeout",
      "must be longer than the threshold, or every attempt that times out would have been good",
    );
    return undefined;
  }
  return ms;
}

function parseDocument(root: Located, report: Report): Slo | undefined {
  const top = mapping(root, "", ["apiVersion", "kind", "metadata", "spec"], report);
  if (top === undefined) return undefined;
  if (!isSloDocument(top, report)) return undefined;
  const { name, description, labels } = parseMetadata(top, report, SLO_NAME, true);

  const specNode = field(top, "spec");
  if (specNode === undefined) {
    report.error(top, "spec", "is required");
    return undefined;
  }
  const spec = mapping(
    specNode,
    "spec",
    [
      "selector",
      "indicator",
      "objective",
      "budgeting",
      "window",
      "alerting",
      "policy",
      "inProgressTimeout",
      "stageBudgets",
    ],
    report,
  );
  if (spec === undefined) return undefined;
  const selector = parseSelector(field(spec, "selector"), report);
  const indicator = parseIndicator(field(spec, "indicator"), "spec.indicator", report);
  const objective = parseObjective(field(spec, "objective"), "spec.objective", report, spec.pos);
  const budgeting = parseBudgeting(field(spec, "budgeting"), report);
  const window = parseWindow(field(spec, "window"), "spec.window", report);
  if (objective !== undefined && window?.kind === "rolling" && objective.thresholdMs >= window.ms) {
    const node = field(field(spec, "objective") as LocatedMap, "threshold") ?? spec;
    report.error(node, "spec.objective.threshold", "the threshold must be shorter than the window");
    return undefined;
  }
  const inProgressTimeoutMs = parseInProgressTimeout(
    field(spec, "inProgressTimeout"),
    report,
    objective,
  );
  const budgetsAt = spec.entries.get("stageBudgets")?.keyPos;
  const stageBudgets = parseStageBudgets(field(spec, "stageBudgets"), indicator, report);
  if (inProgressTimeoutMs === undefined || stageBudgets === undefined) return undefined;
  const alerting =
    objective === undefined || window === undefined || indicator === undefined
      ? undefined
      : parseAlerting(field(spec, "alerting"), "spec.alerting", report, {
          window,
          target: objective.target,
          dependencyIndicator: indicator.kind === "dependency",
        });
  const policy =
    indicator === undefined
      ? undefined
      : parseGatePolicy(
          field(spec, "policy"),
          "spec.policy",
          report,
          indicator.kind === "dependency" ? REPORT_ONLY_POLICY : undefined,
        );
  if (
    name === undefined ||
    policy === undefined ||
    indicator === undefined ||
    objective === undefined ||
    budgeting === undefined ||
    window === undefined ||
    alerting === undefined
  ) {
    return undefined;
  }
  return Object.freeze({
    name,
    description,
    labels,
    selector,
    indicator,
    objective,
    budgeting,
    window,
    alerting,
    policy,
    inProgressTimeoutMs: inProgressTimeoutMs ?? defaultInProgressTimeoutMs(objective.thresholdMs),
    ...(stageBudgets.length === 0 ? {} : { stageBudgets: Object.freeze(stageBudgets) }),
    source: {
      file: report.file,
      line: root.pos.line,
      ...(budgetsAt === undefined ? {} : { stageBudgetsAt: budgetsAt }),
    },
  });
}

/**
 * Parses a multi-document YAML file of SLO specs. Returns the SLOs that are valid and every
 * diagnostic (errors and warnings) with file:line:column and field path. A document with
 * any error yields no SLO, so callers must stop on errors rather than run with a partial set.
 */
export function parseSloSpecs(source: string, file: string): SpecParse {
  const report = new Report(file);
  const slos: Slo[] = [];
  for (const doc of parseLocatedYaml(source)) {
    for (const error of doc.syntaxErrors)
      report.error(error.pos, "", `YAML syntax: ${error.message}`);
    if (doc.root === undefined || (doc.root.kind === "scalar" && doc.root.value === null)) continue;
    const errorsBefore = report.diagnostics.filter((d) => d.severity === "error").length;
    const slo = parseDocument(doc.root, report);
    const errorsAfter = report.diagnostics.filter((d) => d.severity === "error").length;
    if (slo !== undefined && errorsAfter === errorsBefore) slos.push(slo);
  }
  const byPosition = [...report.diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
  return { slos, diagnostics: byPosition };
}

/** Checks rules across files: SLO names are unique. */
export function checkSloSet(slos: readonly Slo[]): Diagnostic[] {
  return repeatedNames(
    slos,
    (slo, first) =>
      `SLO name "${slo.name}" is already used at ${first.source.file}:${first.source.line}`,
  );
}
