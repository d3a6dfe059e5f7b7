import type { GateRequest } from "../core/policy/approval.js";
import type { GateDecision } from "../core/policy/gate-decision.js";
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
  return `${lines.join("\n")}\n`;
}
