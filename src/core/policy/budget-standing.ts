import type { PolicyState } from "../../contract/slo-policy-schema.js";
import type { GatePolicy } from "../spec/gate-policy.js";

export type { PolicyState };

/**
 * What `policy` does to a normal change with `remaining` of the error budget left, before
 * change types and approvals are considered: frozen at or below zero (when it freezes), else
 * held for approval below approvalBelow, else open. The gate and the policy state both ask it.
 */
export function budgetStanding(policy: GatePolicy, remaining: number): PolicyState {
  if (policy.freezeWhenExhausted && remaining <= 0) return "frozen";
  if (policy.approvalBelow !== null && remaining < policy.approvalBelow) {
    return "approval_required";
  }
  return "open";
}

/** A ratio as a percentage with at most one decimal: 0.2 → "20%", -0.125 → "-12.5%". */
export function percent(ratio: number): string {
  return `${(Math.round(ratio * 1000) / 10).toString()}%`;
}

/** What lifts a freeze, the same words in gate answers, the policy state and notifications. */
export function freezeUnblock(policy: GatePolicy): string {
  return (
    "wait until failures leave the window and the budget recovers, or ship a change of an exempt type" +
    (policy.exempt.length > 0 ? ` (--change ${policy.exempt.join("|")})` : "")
  );
}
