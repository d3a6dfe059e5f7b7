import type { SloStatus } from "../evaluation/evaluation-result.js";
import type { Slo } from "../spec/slo.js";
import { type Approval, approvalCovers, type GateRequest } from "./approval.js";
import type { GateDecision, GateDecisionKind, SloGateVerdict } from "./gate-decision.js";
import { selectsPromotion } from "./selects-promotion.js";

/** An SLO and where it stands as of the gate's instant. */
export interface GatedSlo {
  readonly slo: Slo;
  readonly status: SloStatus;
}

function percent(ratio: number): string {
  return `${(Math.round(ratio * 1000) / 10).toString()}%`;
}

function scopeOf(request: GateRequest): string {
  const version = request.version === null ? "" : ` --version ${request.version}`;
  return `--model ${request.model} --environment ${request.environment}${version}`;
}

function verdictFor(
  { slo, status }: GatedSlo,
  request: GateRequest,
  approvals: readonly Approval[],
  at: number,
): SloGateVerdict {
  const remaining = status.errorBudget.remainingRatio;
  const policy = slo.policy;
  const base = {
    name: slo.name,
    remainingRatio: remaining,
    inputs: {
      eligible: status.eligible,
      bad: status.bad,
      remainingRatio: remaining,
      windowStart: status.window.start,
      windowEnd: status.window.end,
    },
  };
  const exempt = policy.exempt.find((type) => type === request.change) ?? null;
  const left = `${percent(remaining)} of its error budget left`;
  if (policy.freezeWhenExhausted && remaining <= 0) {
    if (exempt !== null) {
      return {
        ...base,
        decision: "allow",
        reason: `${slo.name}: budget exhausted (${left}), but a ${exempt} passes the freeze`,
        unblock: null,
        exemptedBy: exempt,
        approvalId: null,
      };
    }
    return {
      ...base,
      decision: "deny",
      reason: `${slo.name}: frozen, the error budget is exhausted (${left})`,
      unblock:
        "wait until failures leave the window and the budget recovers, or ship a change of an exempt type" +
        (policy.exempt.length > 0 ? ` (--change ${policy.exempt.join("|")})` : ""),
      exemptedBy: null,
      approvalId: null,
    };
  }
  if (policy.approvalBelow !== null && remaining < policy.approvalBelow) {
    const below = `${left}, under ${percent(policy.approvalBelow)}`;
    if (exempt !== null) {
      return {
        ...base,
        decision: "allow",
        reason: `${slo.name}: ${below}, but a ${exempt} needs no approval`,
        unblock: null,
        exemptedBy: exempt,
        approvalId: null,
      };
    }
    const approval = approvals.find((a) => approvalCovers(a, request, at));
    if (approval !== undefined) {
      return {
        ...base,
        decision: "allow",
        reason: `${slo.name}: ${below}; approved by ${approval.approver} (${approval.reason})`,
        unblock: null,
        exemptedBy: null,
        approvalId: approval.id,
      };
    }
    return {
      ...base,
      decision: "approval_required",
      reason: `${slo.name}: approval required, ${below}`,
      unblock: `an approver runs: deployslo approve ${scopeOf(request)} --reason "…"`,
      exemptedBy: null,
      approvalId: null,
    };
  }
  return {
    ...base,
    decision: "allow",
    reason:
      remaining <= 0
        ? `${slo.name}: ${left}, but its policy does not freeze (spec.policy.freezeWhenExhausted)`
        : `${slo.name}: ${left}`,
    unblock: null,
    exemptedBy: null,
    approvalId: null,
  };
}

/**
 * The deployment gate: every SLO whose selector takes in the promotion decides by its policy,
 * and they decide together: any deny denies; else any approval requirement holds the
 * promotion for approval; else it is allowed. With no matching SLO it is allowed, saying so.
 */
export function decideGate(
  request: GateRequest,
  slos: readonly GatedSlo[],
  approvals: readonly Approval[],
  at: number,
): GateDecision {
  const verdicts = slos
    .filter(({ slo }) => selectsPromotion(slo.selector, request))
    .map((gated) => verdictFor(gated, request, approvals, at));
  if (verdicts.length === 0) {
    return {
      decision: "allow",
      reasons: [
        `no SLO selects model ${request.model} in environment ${request.environment}: nothing to enforce`,
      ],
      slos: [],
    };
  }
  return combineVerdicts(verdicts);
}

/** SLOs decide together: any deny denies; else any approval requirement holds; else allow. */
export function combineVerdicts(verdicts: readonly SloGateVerdict[]): GateDecision {
  const decision: GateDecisionKind = verdicts.some((v) => v.decision === "deny")
    ? "deny"
    : verdicts.some((v) => v.decision === "approval_required")
      ? "approval_required"
      : "allow";
  const holding = verdicts.filter((v) => v.decision === decision);
  return {
    decision,
    reasons: (decision === "allow" ? verdicts : holding).map((v) => v.reason),
    slos: verdicts,
  };
}
