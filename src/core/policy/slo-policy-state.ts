import type { SloPolicy } from "../../contract/slo-policy-schema.js";
import type { SloStatus } from "../evaluation/evaluation-result.js";
import type { Slo } from "../spec/slo.js";
import { budgetStanding, freezeUnblock, percent } from "./budget-standing.js";

export type { SloPolicy };

function policyTerms(slo: Slo): string {
  const { policy } = slo;
  if (!policy.freezeWhenExhausted && policy.approvalBelow === null) {
    return slo.indicator.kind === "dependency" && !policy.declared
      ? "report only: a dependency SLO never holds a promotion unless its spec.policy says so"
      : "report only: its policy neither freezes nor asks for approval";
  }
  const terms = [
    ...(policy.approvalBelow === null ? [] : [`approval below ${percent(policy.approvalBelow)}`]),
    ...(policy.freezeWhenExhausted ? ["freeze when exhausted"] : []),
  ].join(", ");
  return policy.declared ? `policy: ${terms}` : `no spec.policy, the default: ${terms}`;
}

/**
 * Where `slo`'s error budget policy stands for a normal change as of `status`: the decision the
 * gate would give a normal change without an approval (budgetStanding), with why in words and
 * the policy it follows. The dashboard and the freeze notifications show it.
 */
export function sloPolicyState(slo: Slo, status: SloStatus): SloPolicy {
  const { policy } = slo;
  const remaining = status.errorBudget.remainingRatio;
  const state = budgetStanding(policy, remaining);
  const left = `${percent(remaining)} of the error budget left`;
  const terms = policyTerms(slo);
  const reason =
    state === "frozen"
      ? `frozen: the error budget is exhausted (${left}); normal changes are denied (${terms})`
      : state === "approval_required"
        ? `approval required: ${left}, under ${percent(policy.approvalBelow ?? 0)} (${terms})`
        : `open: ${left} (${terms})`;
  return {
    state,
    reason,
    unblock:
      state === "frozen"
        ? freezeUnblock(policy)
        : state === "approval_required"
          ? "an approver approves the model and environment: deployslo approve --model … --environment … --reason …"
          : null,
    remainingRatio: remaining,
    approvalBelow: policy.approvalBelow,
    freezeWhenExhausted: policy.freezeWhenExhausted,
    exempt: [...policy.exempt],
    declared: policy.declared,
    reportOnly: !policy.freezeWhenExhausted && policy.approvalBelow === null,
  };
}
