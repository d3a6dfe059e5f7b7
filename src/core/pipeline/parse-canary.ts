import { formatDuration } from "../primitives/duration.js";
import { decimalToNumber, parseDecimal, percentToFraction } from "../primitives/exact-ratio.js";
import type { Located } from "../spec/located-yaml.js";
import {
  describeNode as describe,
  fieldNode as field,
  joinPath as join,
  type LocatedMap,
  mappingNode as mapping,
  type SpecReport as Report,
  textValue as text,
} from "../spec/spec-fields.js";
import type { CanaryAction, CanaryAnalysis, CanaryTraffic } from "./pipeline.js";
import { httpUrl, optionalDuration } from "./pipeline-fields.js";

const FIELDS = ["switch", "run", "steps", "url", "baseline", "requests", "interval", "analysis"];
const ANALYSIS_FIELDS = ["maxErrorRate", "maxP95", "maxP95Ratio", "minP95Difference"];
const DEFAULT_STEPS = [10, 50, 100];
const DEFAULT_REQUESTS = 20;
const MAX_REQUESTS = 1000;
const MAX_STEPS = 20;
const DEFAULT_INTERVAL_MS = 100;
const DEFAULT_ANALYSIS: CanaryAnalysis = {
  maxErrorRate: 0.05,
  maxP95Ms: null,
  maxP95Ratio: 1.5,
  minP95DifferenceMs: 20,
};

/** A share such as 5% or 0.05, from 0 to 100%. */
function parseShare(node: Located, path: string, report: Report): number | undefined {
  const shown =
    node.kind === "scalar" && (typeof node.value === "string" || typeof node.value === "number")
      ? String(node.value).trim()
      : undefined;
  const isPercent = shown?.endsWith("%") === true;
  const decimal =
    shown === undefined ? undefined : parseDecimal(isPercent ? shown.slice(0, -1).trim() : shown);
  const value =
    decimal === undefined
      ? undefined
      : decimalToNumber(isPercent ? percentToFraction(decimal) : decimal);
  if (value === undefined || value < 0 || value > 1) {
    const hint = !isPercent && value !== undefined && value > 1 ? ` (write ${shown}%)` : "";
    report.error(node, path, `must be a share from 0% to 100%, got ${describe(node)}${hint}`);
    return undefined;
  }
  return value;
}

function parseSteps(node: Located | undefined, path: string, report: Report): number[] {
  if (node === undefined) return DEFAULT_STEPS;
  if (node.kind !== "seq" || node.items.length === 0 || node.items.length > MAX_STEPS) {
    report.error(node, path, `must be a list of 1 to ${MAX_STEPS} percentages, e.g. [10, 50, 100]`);
    return DEFAULT_STEPS;
  }
  const steps: number[] = [];
  node.items.forEach((item, i) => {
    const raw = item.kind === "scalar" ? item.value : undefined;
    const value = typeof raw === "string" && raw.endsWith("%") ? Number(raw.slice(0, -1)) : raw;
    const previous = steps.at(-1) ?? 0;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 100)
      report.error(
        item,
        `${path}[${i}]`,
        `must be a whole percentage 1–100, got ${describe(item)}`,
      );
    else if (value <= previous)
      report.error(item, `${path}[${i}]`, `must be above the step before (${previous}%)`);
    else steps.push(value);
  });
  if (steps.length === node.items.length && steps.at(-1) !== 100)
    report.error(node, path, "must end at 100: the last step moves all traffic");
  return steps;
}

function parseRequests(node: Located | undefined, path: string, report: Report): number {
  if (node === undefined) return DEFAULT_REQUESTS;
  const value = node.kind === "scalar" ? node.value : undefined;
  if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= MAX_REQUESTS)
    return value;
  report.error(
    node,
    path,
    `must be a whole number from 1 to ${MAX_REQUESTS}, got ${describe(node)}`,
  );
  return DEFAULT_REQUESTS;
}

function parseRatio(node: Located, path: string, report: Report): number | undefined {
  const value = node.kind === "scalar" ? node.value : undefined;
  if (typeof value === "number" && Number.isFinite(value) && value >= 1) return value;
  report.error(
    node,
    path,
    `must be a number of at least 1 (1.5 = 50% slower), got ${describe(node)}`,
  );
  return undefined;
}

function parseAnalysis(node: Located | undefined, path: string, report: Report): CanaryAnalysis {
  if (node === undefined) return DEFAULT_ANALYSIS;
  const map = mapping(node, path, ANALYSIS_FIELDS, report);
  if (map === undefined) return DEFAULT_ANALYSIS;
  const errorNode = field(map, "maxErrorRate");
  const p95Node = field(map, "maxP95");
  const ratioNode = field(map, "maxP95Ratio");
  const diffNode = field(map, "minP95Difference");
  const maxP95Ms =
    p95Node === undefined ? null : optionalDuration(p95Node, join(path, "maxP95"), 0, report);
  return {
    maxErrorRate:
      errorNode === undefined
        ? DEFAULT_ANALYSIS.maxErrorRate
        : (parseShare(errorNode, join(path, "maxErrorRate"), report) ??
          DEFAULT_ANALYSIS.maxErrorRate),
    maxP95Ms,
    maxP95Ratio:
      ratioNode === undefined
        ? DEFAULT_ANALYSIS.maxP95Ratio
        : (parseRatio(ratioNode, join(path, "maxP95Ratio"), report) ?? null),
    minP95DifferenceMs: optionalDuration(
      diffNode,
      join(path, "minP95Difference"),
      DEFAULT_ANALYSIS.minP95DifferenceMs,
      report,
      { allowZero: true },
    ),
  };
}

function parseTraffic(map: LocatedMap, path: string, report: Report): CanaryTraffic | undefined {
  const switchNode = field(map, "switch");
  const runNode = field(map, "run");
  if ((switchNode === undefined) === (runNode === undefined)) {
    report.error(
      map,
      path,
      "give either switch (the local traffic switch: admin and upstream) or run (a command that sets $CANARY_WEIGHT percent of traffic), one of them",
    );
    return undefined;
  }
  if (runNode !== undefined) {
    const command = text(runNode, join(path, "run"), report);
    return command === undefined ? undefined : { type: "run", command };
  }
  const at = join(path, "switch");
  const switchMap = mapping(switchNode, at, ["admin", "upstream"], report);
  if (switchMap === undefined) return undefined;
  const admin = httpUrl(field(switchMap, "admin"), join(at, "admin"), report, switchMap.pos);
  const upstream = httpUrl(
    field(switchMap, "upstream"),
    join(at, "upstream"),
    report,
    switchMap.pos,
  );
  return admin === undefined || upstream === undefined
    ? undefined
    : { type: "switch", admin, upstream };
}

/** The least time the steps take: every step sends its requests one interval apart. */
function leastTimeMs(action: CanaryAction): number {
  return action.steps.length * Math.max(0, action.requests - 1) * action.intervalMs;
}

/**
 * A stage's `canary:` action. `timeoutMs` is the stage's: a canary whose requests cannot fit
 * in it is an error here rather than a timeout in the middle of a promotion.
 */
export function parseCanary(
  node: Located,
  path: string,
  report: Report,
  timeoutMs: number,
): CanaryAction | undefined {
  const map = mapping(node, path, FIELDS, report);
  if (map === undefined) return undefined;
  const traffic = parseTraffic(map, path, report);
  const urlNode = field(map, "url");
  const url =
    urlNode === undefined
      ? traffic?.type === "switch"
        ? traffic.upstream
        : undefined
      : httpUrl(urlNode, join(path, "url"), report, map.pos);
  if (urlNode === undefined && traffic?.type === "run")
    report.error(
      map,
      join(path, "url"),
      "is required with run: the new version's address to probe",
    );
  const baselineNode = field(map, "baseline");
  const baseline =
    baselineNode === undefined
      ? null
      : (httpUrl(baselineNode, join(path, "baseline"), report, map.pos) ?? null);
  const action: CanaryAction | undefined =
    traffic === undefined || url === undefined
      ? undefined
      : {
          type: "canary",
          traffic,
          steps: parseSteps(field(map, "steps"), join(path, "steps"), report),
          url,
          baseline,
          requests: parseRequests(field(map, "requests"), join(path, "requests"), report),
          intervalMs: optionalDuration(
            field(map, "interval"),
            join(path, "interval"),
            DEFAULT_INTERVAL_MS,
            report,
            { allowZero: true },
          ),
          analysis: parseAnalysis(field(map, "analysis"), join(path, "analysis"), report),
        };
  if (action !== undefined && leastTimeMs(action) >= timeoutMs)
    report.error(
      map,
      path,
      `its ${action.steps.length} steps of ${action.requests} requests ${formatDuration(action.intervalMs)} apart take at least ${formatDuration(leastTimeMs(action))}, more than the stage's timeout of ${formatDuration(timeoutMs)}: raise timeout or lower requests or interval`,
    );
  return action;
}
