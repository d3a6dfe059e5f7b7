import { breachProbability, preflightEstimate } from "../analysis/preflight-estimate.js";
import type { Attempt } from "../attempt/attempt.js";
import type { Slo } from "../spec/slo.js";
import { type Approval, approvalCovers, type GateRequest } from "./approval.js";
import { combineVerdicts } from "./decide-gate.js";
import type { GateDecision, GateEstimate, SloGateVerdict } from "./gate-decision.js";
import { selectsPromotion } from "./selects-promotion.js";

const percent = (ratio: number) => `${Math.round(ratio * 1000) / 10}%`;

/**
 * The pre-flight estimate for the SLOs that select the promotion: its likely duration from
 * similar attempts before `at` (`history`, newest first), and its chance to breach each
 * threshold. null when no SLO selects it.
 */
export function estimateGate(
  history: readonly Attempt[],
  request: GateRequest,
  slos: readonly Slo[],
  at: number,
): GateEstimate | null {
  const selecting = slos.filter((slo) => selectsPromotion(slo.selector, request));
  if (selecting.length === 0) return null;
  const estimate = preflightEstimate(history, request, at);
  return {
    ...estimate,
    slos: selecting.map((slo) => ({
      name: slo.name,
      thresholdSeconds: slo.objective.thresholdMs / 1000,
      breachProbability: breachProbability(history, request, at, slo.objective.thresholdMs),
    })),
  };
}

function breachVerdict(
  verdict: SloGateVerdict,
  slo: Slo,
  chance: number,
  request: GateRequest,
  approvals: readonly Approval[],
  at: number,
): SloGateVerdict {
  const limit = slo.policy.approvalAboveBreachProbability;
  if (limit === null || chance <= limit || verdict.decision !== "allow") return verdict;
  if (verdict.exemptedBy !== null || verdict.approvalId !== null) return verdict;
  const likely = `a ${percent(chance)} chance to breach its ${slo.objective.thresholdMs / 1000}s threshold, above ${percent(limit)}`;
  const exempt = slo.policy.exempt.find((type) => type === request.change) ?? null;
  if (exempt !== null)
    return {
      ...verdict,
      reason: `${slo.name}: ${likely}, but a ${exempt} needs no approval`,
      exemptedBy: exempt,
    };
  const approval = approvals.find((a) => approvalCovers(a, request, at));
  if (approval !== undefined)
    return {
      ...verdict,
      reason: `${slo.name}: ${likely}; approved by ${approval.approver} (${approval.reason})`,
      approvalId: approval.id,
    };
  const version = request.version === null ? "" : ` --version ${request.version}`;
  return {
    ...verdict,
    decision: "approval_required",
    reason: `${slo.name}: approval required, ${likely}`,
    unblock: `an approver runs: deployslo approve --model ${request.model} --environment ${request.environment}${version} --reason "…"`,
  };
}

/**
 * Adds the estimate to a decision and applies `spec.policy.approvalAboveBreachProbability`:
 * an SLO that allowed the promotion requires an approval when its breach chance is above the
 * limit (exempt changes and covering approvals pass, as for a low budget).
 */
export function withEstimate(
  decision: GateDecision,
  estimate: GateEstimate | null,
  slos: readonly Slo[],
  request: GateRequest,
  approvals: readonly Approval[],
  at: number,
): GateDecision {
  if (estimate === null) return { ...decision, estimate: null };
  const verdicts = decision.slos.map((verdict) => {
    const slo = slos.find((s) => s.name === verdict.name);
    const chance = estimate.slos.find((s) => s.name === verdict.name)?.breachProbability ?? null;
    return slo === undefined || chance === null
      ? verdict
      : breachVerdict(verdict, slo, chance, request, approvals, at);
  });
  const changed = verdicts.some((v, i) => v !== decision.slos[i]);
  return { ...(changed ? combineVerdicts(verdicts) : decision), estimate };
}
