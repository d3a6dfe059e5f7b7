import { closestName } from "../primitives/closest-name.js";
import { decimalToNumber, parseDecimal, percentToFraction } from "../primitives/exact-ratio.js";
import { CHANGE_TYPES, type ChangeType, DEFAULT_POLICY, type GatePolicy } from "./gate-policy.js";
import type { Located } from "./located-yaml.js";
import { describeNode, fieldNode, joinPath, mappingNode, type SpecReport } from "./spec-fields.js";

const FIELDS = [
  "freezeWhenExhausted",
  "approvalBelow",
  "approvalAboveBreachProbability",
  "exempt",
] as const;

function parseBoolean(node: Located, path: string, report: SpecReport): boolean | undefined {
  if (node.kind === "scalar" && typeof node.value === "boolean") return node.value;
  report.error(node, path, `must be true or false, got ${describeNode(node)}`);
  return undefined;
}

/** A remaining-budget ratio: 25% or 0.25, above 0 and at most 100%. */
function parseRatio(node: Located, path: string, report: SpecReport): number | undefined {
  const shown =
    node.kind === "scalar" && (typeof node.value === "string" || typeof node.value === "number")
      ? String(node.value).trim()
      : undefined;
  const percent = shown?.endsWith("%") === true;
  const decimal =
    shown === undefined ? undefined : parseDecimal(percent ? shown.slice(0, -1).trim() : shown);
  const value =
    decimal === undefined
      ? undefined
      : decimalToNumber(percent ? percentToFraction(decimal) : decimal);
  if (value === undefined) {
    report.error(
      node,
      path,
      `must be a share of the error budget like 25% or 0.25, got ${describeNode(node)}`,
    );
    return undefined;
  }
  if (!percent && value > 1 && value <= 100) {
    report.error(node, path, `${shown} looks like a percentage: write ${shown}%`);
    return undefined;
  }
  if (value <= 0 || value > 1) {
    report.error(node, path, `must be above 0% and at most 100%, got ${shown}`);
    return undefined;
  }
  return value;
}

function parseExempt(node: Located, path: string, report: SpecReport): ChangeType[] | undefined {
  if (node.kind !== "seq") {
    report.error(node, path, `must be a list of change types (${CHANGE_TYPES.join(", ")})`);
    return undefined;
  }
  const out: ChangeType[] = [];
  let ok = true;
  node.items.forEach((item, index) => {
    const value = item.kind === "scalar" ? item.value : undefined;
    const type = CHANGE_TYPES.find((t) => t === value);
    if (type === undefined) {
      const guess = typeof value === "string" ? closestName(value, CHANGE_TYPES) : undefined;
      const hint = guess === undefined ? "" : ` (did you mean "${guess}"?)`;
      report.error(
        item,
        `${path}[${index}]`,
        `must be one of ${CHANGE_TYPES.join(", ")}, got ${describeNode(item)}${hint}`,
      );
      ok = false;
    } else if (type === "normal") {
      report.error(item, `${path}[${index}]`, "normal changes cannot be exempt from the policy");
      ok = false;
    } else if (!out.includes(type)) out.push(type);
  });
  return ok ? out : undefined;
}

/**
 * Parses `spec.policy`, the SLO's error budget policy for the deployment gate. Absent fields
 * take `fallback`'s values (DEFAULT_POLICY, or report-only for dependency SLOs).
 */
export function parseGatePolicy(
  node: Located | undefined,
  path: string,
  report: SpecReport,
  fallback: GatePolicy = DEFAULT_POLICY,
): GatePolicy | undefined {
  if (node === undefined || (node.kind === "scalar" && node.value === null)) return fallback;
  const map = mappingNode(node, path, FIELDS, report);
  if (map === undefined) return undefined;
  const freezeNode = fieldNode(map, "freezeWhenExhausted");
  const approvalNode = fieldNode(map, "approvalBelow");
  const exemptNode = fieldNode(map, "exempt");
  const breachNode = fieldNode(map, "approvalAboveBreachProbability");
  const approvalAboveBreachProbability =
    breachNode === undefined || (breachNode.kind === "scalar" && breachNode.value === null)
      ? fallback.approvalAboveBreachProbability
      : parseRatio(breachNode, joinPath(path, "approvalAboveBreachProbability"), report);
  const freezeWhenExhausted =
    freezeNode === undefined
      ? fallback.freezeWhenExhausted
      : parseBoolean(freezeNode, joinPath(path, "freezeWhenExhausted"), report);
  const approvalBelow =
    approvalNode === undefined || (approvalNode.kind === "scalar" && approvalNode.value === null)
      ? fallback.approvalBelow
      : parseRatio(approvalNode, joinPath(path, "approvalBelow"), report);
  const exempt =
    exemptNode === undefined
      ? fallback.exempt
      : parseExempt(exemptNode, joinPath(path, "exempt"), report);
  if (
    freezeWhenExhausted === undefined ||
    approvalBelow === undefined ||
    approvalAboveBreachProbability === undefined ||
    exempt === undefined
  ) {
    return undefined;
  }
  return Object.freeze({
    freezeWhenExhausted,
    approvalBelow,
    approvalAboveBreachProbability,
    exempt: Object.freeze(exempt),
  });
}
