import type { Located } from "./located-yaml.js";
import type { Indicator, StageBudget } from "./slo.js";
import {
  describeNode,
  durationValue,
  joinPath,
  type SpecReport,
  textValue,
} from "./spec-fields.js";

const PATH = "spec.stageBudgets";

function measured(indicator: Indicator): string {
  if (indicator.kind === "stage") return `the stage ${indicator.stage}`;
  if (indicator.kind === "dependency") return `the dependency ${indicator.dependency}`;
  return "a span from or to other points";
}

/** One budget's duration; undefined after reporting why it is not one. */
function budgetMs(node: Located, path: string, report: SpecReport): number | undefined {
  if (node.kind !== "scalar" || node.value === null) {
    report.error(node, path, `must be a duration like 90s or 2m30s, got ${describeNode(node)}`);
    return undefined;
  }
  const raw = typeof node.value === "string" ? node.value.trim() : String(node.value);
  if (/^-/.test(raw)) {
    report.error(node, path, `a budget cannot be negative, got ${raw}: give a duration like 90s`);
    return undefined;
  }
  const ms = durationValue(node, path, report);
  if (ms === 0) {
    report.error(
      node,
      path,
      "a budget of 0 is overrun by every run of the stage: give a positive duration",
    );
    return undefined;
  }
  return ms;
}

/**
 * `spec.stageBudgets`: stage name → its share of the threshold, in the order written (by
 * convention the checks that cannot be skipped first). Absent or empty: an empty list;
 * undefined after an error. Only a whole-deployment SLO splits its threshold into stages.
 */
export function parseStageBudgets(
  node: Located | undefined,
  indicator: Indicator | undefined,
  report: SpecReport,
): StageBudget[] | undefined {
  if (node === undefined || (node.kind === "scalar" && node.value === null)) return [];
  if (node.kind !== "map") {
    report.error(
      node,
      PATH,
      `must be a mapping of stage names to durations (e.g. security-scan: 90s), got ${describeNode(node)}`,
    );
    return undefined;
  }
  if (indicator !== undefined && indicator.kind !== "deployment") {
    report.error(
      node,
      PATH,
      `stage budgets split a whole deployment's threshold (promote request to first inference); this SLO measures ${measured(indicator)}`,
    );
    return undefined;
  }
  const budgets: StageBudget[] = [];
  let failed = false;
  for (const [stage, entry] of node.entries) {
    const path = joinPath(PATH, stage);
    if (textValue({ kind: "scalar", pos: entry.keyPos, value: stage }, path, report) === undefined)
      failed = true;
    const ms = budgetMs(entry.value, path, report);
    if (ms === undefined) failed = true;
    else budgets.push({ stage, budgetMs: ms });
  }
  return failed ? undefined : budgets;
}
