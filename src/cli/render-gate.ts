import type { GateRequest } from "../core/policy/approval.js";
import type { GateDecision, GateEstimate } from "../core/policy/gate-decision.js";
import { formatDuration } from "../core/primitives/duration.js";
import type { Style } from "./style.js";

const LABEL = { allow: "ALLOW", deny: "DENY", approval_required: "APPROVAL REQUIRED" } as const;

/** The gate's answer for a person: the decision, then one line per SLO and what unblocks it. */
export function renderGate(
  request: GateRequest,
  decision: GateDecision,
  at: string,
  style: Style,
): string {
  const colour =
    decision.decision === "allow"
      ? style.green
      : decision.decision === "deny"
        ? style.red
        : style.yellow;
  const version = request.version === null ? "" : ` ${request.version}`;
  const lines = [
    `${style.bold(colour(LABEL[decision.decision]))} ${request.model}${version} → ${request.environment} (${request.change} change), as of ${at}`,
  ];
  if (decision.slos.length === 0) lines.push(`  ${decision.reasons.join("; ")}`);
  for (const slo of decision.slos) {
    const mark = slo.decision === "allow" ? style.green("✓") : colour("✗");
    lines.push(`  ${mark} ${slo.reason}`);
    if (slo.unblock !== null) lines.push(style.dim(`      to unblock: ${slo.unblock}`));
  }
  const estimate = estimateLine(decision.estimate ?? null);
  if (estimate !== null) lines.push(style.dim(`  ${estimate}`));
  return `${lines.join("\n")}\n`;
}

const seconds = (value: number) => formatDuration(Math.round(value * 1000));

/** The pre-flight estimate in one line: likely duration, breach chances, and what it rests on. */
export function estimateLine(estimate: GateEstimate | null): string | null {
  if (estimate === null) return null;
  if (estimate.attempts === 0)
    return "estimate: no similar attempt finished before: nothing to estimate from";
  const took =
    estimate.p50Seconds === null || estimate.p90Seconds === null
      ? "none of them served"
      : `p50 ${seconds(estimate.p50Seconds)}, p90 ${seconds(estimate.p90Seconds)}`;
  const chances = estimate.slos
    .filter((s) => s.breachProbability !== null)
    .map(
      (s) =>
        `${Math.round((s.breachProbability ?? 0) * 100)}% chance to miss ${s.name}'s ${seconds(s.thresholdSeconds)}`,
    );
  return `estimate: ${took}; ${chances.join(", ")} (from ${estimate.attempts} attempts of ${estimate.basis})`;
}
