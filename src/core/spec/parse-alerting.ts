import type { Decimal } from "../primitives/exact-ratio.js";
import {
  decimalOfNumber,
  decimalToNumber,
  parseDecimal,
  percentToFraction,
} from "../primitives/exact-ratio.js";
import {
  type AlertPolicy,
  type AlertSeverity,
  type BaselinePolicy,
  type BurnRateRule,
  burnFactor,
  DEFAULT_BASELINE,
  DEFAULT_LOW_VOLUME,
  defaultForecastHorizon,
  defaultRules,
  type LowVolume,
  maxBurnRate,
  nominalWindowMs,
  PLAIN_LOW_VOLUME,
} from "./alert-policy.js";
import type { Located } from "./located-yaml.js";
import type { SloWindow } from "./slo.js";
import {
  describeNode as describe,
  durationValue as duration,
  fieldNode as field,
  joinPath as join,
  type LocatedMap,
  mappingNode as mapping,
  type SpecReport as Report,
  stringMapValue as stringMap,
  textValue as text,
} from "./spec-fields.js";

const RULE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export interface AlertingContext {
  readonly window: SloWindow;
  readonly target: Decimal;
  /** Baseline alerts apply to dependency indicators only. */
  readonly dependencyIndicator: boolean;
}

function fraction(node: Located, path: string, report: Report): number | undefined {
  let value: Decimal | undefined;
  if (node.kind === "scalar" && typeof node.value === "number") value = decimalOfNumber(node.value);
  else if (node.kind === "scalar" && typeof node.value === "string") {
    const shown = node.value.trim();
    const percent = shown.endsWith("%");
    const parsed = parseDecimal(percent ? shown.slice(0, -1).trim() : shown);
    value = parsed !== undefined && percent ? percentToFraction(parsed) : parsed;
  }
  if (value === undefined || value.units === 0n || value.units > value.scale) {
    report.error(
      node,
      path,
      `must be a share of the error budget above 0 and at most 100%, like 2% or 0.02, got ${describe(node)}`,
    );
    return undefined;
  }
  return decimalToNumber(value);
}

function wholeNumber(node: Located, path: string, report: Report, min: number): number | undefined {
  if (node.kind === "scalar" && typeof node.value === "number" && Number.isInteger(node.value)) {
    if (node.value >= min && node.value <= 1000) return node.value;
  }
  report.error(node, path, `must be a whole number from ${min} to 1000, got ${describe(node)}`);
  return undefined;
}

function positiveNumber(node: Located, path: string, report: Report): number | undefined {
  if (node.kind === "scalar" && typeof node.value === "number" && node.value > 1) return node.value;
  report.error(node, path, `must be a number above 1 (e.g. 1.5), got ${describe(node)}`);
  return undefined;
}

function positiveDuration(
  node: Located | undefined,
  path: string,
  report: Report,
): number | undefined {
  if (node === undefined) return undefined;
  const ms = duration(node, path, report);
  if (ms === 0) {
    report.error(node, path, "must be longer than 0");
    return undefined;
  }
  return ms;
}

/** An optional duration field of `map`: `fallback` when absent. */
function optionalDuration(
  map: LocatedMap,
  key: string,
  path: string,
  report: Report,
  fallback: number | undefined,
): number | undefined {
  const node = field(map, key);
  return node === undefined ? fallback : duration(node, join(path, key), report);
}

function parseRule(
  node: Located,
  path: string,
  report: Report,
  context: AlertingContext,
): BurnRateRule | undefined {
  const map = mapping(
    node,
    path,
    ["name", "severity", "longWindow", "shortWindow", "budgetFraction", "for", "keepFiringFor"],
    report,
  );
  if (map === undefined) return undefined;
  const required = (key: string, example: string): Located | undefined => {
    const value = field(map, key);
    if (value === undefined) report.error(map, join(path, key), `is required (e.g. ${example})`);
    return value;
  };
  const nameNode = required("name", "fast-burn");
  const severityNode = required("severity", "page");
  const longNode = required("longWindow", "1h");
  const shortNode = required("shortWindow", "5m");
  const fractionNode = required("budgetFraction", "2%");
  let name = nameNode === undefined ? undefined : text(nameNode, join(path, "name"), report);
  if (nameNode !== undefined && name !== undefined && !RULE_NAME.test(name)) {
    report.error(
      nameNode,
      join(path, "name"),
      `"${name}" must be lowercase letters, digits or dashes`,
    );
    name = undefined;
  }
  let severity: AlertSeverity | undefined;
  if (severityNode !== undefined) {
    if (
      severityNode.kind === "scalar" &&
      (severityNode.value === "page" || severityNode.value === "ticket")
    ) {
      severity = severityNode.value;
    } else {
      report.error(
        severityNode,
        join(path, "severity"),
        `must be page or ticket, got ${describe(severityNode)}`,
      );
    }
  }
  const longWindowMs = positiveDuration(longNode, join(path, "longWindow"), report);
  const shortWindowMs = positiveDuration(shortNode, join(path, "shortWindow"), report);
  const budgetFraction =
    fractionNode === undefined
      ? undefined
      : fraction(fractionNode, join(path, "budgetFraction"), report);
  const forMs = optionalDuration(map, "for", path, report, 0);
  const keepFiringForMs = optionalDuration(map, "keepFiringFor", path, report, shortWindowMs);
  if (
    name === undefined ||
    severity === undefined ||
    longWindowMs === undefined ||
    shortWindowMs === undefined ||
    budgetFraction === undefined ||
    forMs === undefined ||
    keepFiringForMs === undefined
  ) {
    return undefined;
  }
  const windowMs = nominalWindowMs(context.window);
  if (shortWindowMs >= longWindowMs) {
    report.error(shortNode ?? map, join(path, "shortWindow"), "must be shorter than longWindow");
    return undefined;
  }
  if (longWindowMs > windowMs) {
    report.error(
      longNode ?? map,
      join(path, "longWindow"),
      "must not be longer than the SLO window",
    );
    return undefined;
  }
  const factor = burnFactor(budgetFraction, windowMs, longWindowMs);
  const maxBurn = maxBurnRate(context.target);
  if (factor > maxBurn * (1 + 1e-12)) {
    report.error(
      fractionNode ?? map,
      join(path, "budgetFraction"),
      `this rule can never fire: it needs a burn rate of ${round(factor)} (budgetFraction × window / longWindow) but with target ${round(decimalToNumber(context.target) * 100)}% the highest possible is ${round(maxBurn)} (every attempt bad); lower budgetFraction or lengthen longWindow`,
    );
    return undefined;
  }
  return Object.freeze({
    name,
    severity,
    longWindowMs,
    shortWindowMs,
    budgetFraction,
    forMs,
    keepFiringForMs,
    factor,
  });
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function parseLowVolume(
  node: Located | undefined,
  path: string,
  report: Report,
): LowVolume | undefined {
  if (node === undefined) return DEFAULT_LOW_VOLUME;
  if (node.kind === "scalar" && node.value === false) return PLAIN_LOW_VOLUME;
  const map = mapping(node, path, ["minBadAttempts", "minAttempts"], report);
  if (map === undefined) return undefined;
  const badNode = field(map, "minBadAttempts");
  const attemptsNode = field(map, "minAttempts");
  const minBadAttempts =
    badNode === undefined
      ? DEFAULT_LOW_VOLUME.minBadAttempts
      : wholeNumber(badNode, join(path, "minBadAttempts"), report, 1);
  const minAttempts =
    attemptsNode === undefined
      ? Math.max(DEFAULT_LOW_VOLUME.minAttempts, minBadAttempts ?? 0)
      : wholeNumber(attemptsNode, join(path, "minAttempts"), report, 0);
  if (minBadAttempts === undefined || minAttempts === undefined) return undefined;
  if (minAttempts > 0 && minAttempts < minBadAttempts) {
    report.error(
      attemptsNode ?? map,
      join(path, "minAttempts"),
      `must be 0 or at least minBadAttempts (${minBadAttempts}): a window of fewer attempts could never hold enough bad ones`,
    );
    return undefined;
  }
  return Object.freeze({ minBadAttempts, minAttempts });
}

function parseForecast(
  node: Located | undefined,
  path: string,
  report: Report,
  window: SloWindow,
): { horizonMs: number | null } | undefined {
  if (node === undefined) return { horizonMs: defaultForecastHorizon(window) };
  if (node.kind === "scalar" && node.value === false) return { horizonMs: null };
  const map = mapping(node, path, ["horizon"], report);
  if (map === undefined) return undefined;
  const horizonNode = field(map, "horizon");
  if (horizonNode === undefined) return { horizonMs: defaultForecastHorizon(window) };
  const horizonMs = positiveDuration(horizonNode, join(path, "horizon"), report);
  return horizonMs === undefined ? undefined : { horizonMs };
}

function parseBaseline(
  node: Located | undefined,
  path: string,
  report: Report,
  context: AlertingContext,
): BaselinePolicy | null | undefined {
  if (!context.dependencyIndicator) {
    if (node !== undefined) {
      report.error(node, path, "applies only to SLOs with indicator: {dependency: NAME}");
      return undefined;
    }
    return null;
  }
  if (node === undefined) return DEFAULT_BASELINE;
  if (node.kind === "scalar" && node.value === false) return null;
  const map = mapping(node, path, ["factor", "recent", "baseline", "minSamples"], report);
  if (map === undefined) return undefined;
  const get = <T>(key: string, fallback: T, read: (n: Located, p: string) => T | undefined) => {
    const value = field(map, key);
    return value === undefined ? fallback : read(value, join(path, key));
  };
  const factor = get("factor", DEFAULT_BASELINE.factor, (n, p) => positiveNumber(n, p, report));
  const recentMs = get("recent", DEFAULT_BASELINE.recentMs, (n, p) =>
    positiveDuration(n, p, report),
  );
  const baselineMs = get("baseline", DEFAULT_BASELINE.baselineMs, (n, p) =>
    positiveDuration(n, p, report),
  );
  const minSamples = get("minSamples", DEFAULT_BASELINE.minSamples, (n, p) =>
    wholeNumber(n, p, report, 1),
  );
  if (
    factor === undefined ||
    recentMs === undefined ||
    baselineMs === undefined ||
    minSamples === undefined
  ) {
    return undefined;
  }
  if (baselineMs <= recentMs) {
    report.error(
      field(map, "baseline") ?? map,
      join(path, "baseline"),
      "must be longer than recent",
    );
    return undefined;
  }
  return Object.freeze({ factor, recentMs, baselineMs, minSamples });
}

/** The burn-rate rules: the defaults derived from the window when `rules` is absent. */
function parseRules(
  rulesNode: Located | undefined,
  path: string,
  report: Report,
  context: AlertingContext,
): BurnRateRule[] | undefined {
  if (rulesNode === undefined) return defaultRules(context.window, maxBurnRate(context.target));
  if (rulesNode.kind !== "seq") {
    report.error(rulesNode, path, `must be a list of rules, got ${describe(rulesNode)}`);
    return undefined;
  }
  const parsed = rulesNode.items.map((item, i) =>
    parseRule(item, `${path}[${i}]`, report, context),
  );
  const names = new Set<string>();
  rulesNode.items.forEach((item, i) => {
    const name = parsed[i]?.name;
    if (name === undefined) return;
    if (names.has(name))
      report.error(item, `${path}[${i}].name`, `rule name "${name}" is used twice`);
    names.add(name);
  });
  return parsed.every((rule) => rule !== undefined) ? (parsed as BurnRateRule[]) : undefined;
}

/** The names of the notification targets; none when absent. */
function parseNotify(
  node: Located | undefined,
  path: string,
  report: Report,
): string[] | undefined {
  if (node === undefined) return [];
  if (node.kind !== "seq") {
    report.error(node, path, `must be a list of notification target names, got ${describe(node)}`);
    return undefined;
  }
  const names = node.items.map((item, i) => text(item, `${path}[${i}]`, report));
  return names.every((n) => n !== undefined) ? (names as string[]) : undefined;
}

/** `group: true | false`; on when absent. */
function parseGroup(node: Located | undefined, path: string, report: Report): boolean | undefined {
  if (node === undefined) return true;
  if (node.kind === "scalar" && typeof node.value === "boolean") return node.value;
  report.error(node, path, `must be true or false, got ${describe(node)}`);
  return undefined;
}

/** An http(s) URL, or null when absent. */
function parseRunbookUrl(
  node: Located | undefined,
  path: string,
  report: Report,
): string | null | undefined {
  if (node === undefined) return null;
  const url = text(node, path, report);
  if (url === undefined || /^https?:\/\/\S+$/.test(url)) return url;
  report.error(node, path, `must be an http(s) URL, got "${url}"`);
  return undefined;
}

/**
 * Parses `spec.alerting`; when it or its `rules` are absent, the defaults derived from the
 * window apply (docs/alerting.md). Returns undefined after reporting an error.
 */
export function parseAlerting(
  node: Located | undefined,
  path: string,
  report: Report,
  context: AlertingContext,
): AlertPolicy | undefined {
  if (node !== undefined && node.kind === "scalar" && node.value === null) node = undefined;
  const map =
    node === undefined
      ? undefined
      : mapping(
          node,
          path,
          ["rules", "notify", "labels", "runbookUrl", "lowVolume", "forecast", "baseline", "group"],
          report,
        );
  if (node !== undefined && map === undefined) return undefined;
  const rulesNode = field(map, "rules");
  const defaults = rulesNode === undefined;
  const rules = parseRules(rulesNode, join(path, "rules"), report, context);
  const notify = parseNotify(field(map, "notify"), join(path, "notify"), report);
  const labels = stringMap(field(map, "labels"), join(path, "labels"), report);
  const runbookUrl = parseRunbookUrl(field(map, "runbookUrl"), join(path, "runbookUrl"), report);
  const lowVolume = parseLowVolume(field(map, "lowVolume"), join(path, "lowVolume"), report);
  const forecast = parseForecast(
    field(map, "forecast"),
    join(path, "forecast"),
    report,
    context.window,
  );
  const baseline = parseBaseline(field(map, "baseline"), join(path, "baseline"), report, context);
  const group = parseGroup(field(map, "group"), join(path, "group"), report);
  if (
    rules === undefined ||
    notify === undefined ||
    runbookUrl === undefined ||
    lowVolume === undefined ||
    forecast === undefined ||
    baseline === undefined ||
    group === undefined
  ) {
    return undefined;
  }
  return Object.freeze({
    rules: Object.freeze(rules),
    defaultRules: defaults,
    notify: Object.freeze(notify),
    labels,
    runbookUrl,
    lowVolume,
    forecast: Object.freeze(forecast),
    baseline,
    group,
  });
}
