import type { PolicyState, SloPolicy } from "../../../src/contract/slo-policy-schema.js";

const LABEL: Record<PolicyState, string> = {
  open: "Open",
  approval_required: "Approval required",
  frozen: "Frozen",
};

// A symbol as well as a colour: the state must read without colour vision too.
const SYMBOL: Record<PolicyState, string> = { open: "", approval_required: "⚠ ", frozen: "❄ " };

/** An SLO's policy state: open, approval required or frozen (report-only SLOs say so). */
export function PolicyBadge({ policy }: { policy: SloPolicy }) {
  if (policy.reportOnly && policy.state === "open") {
    return (
      <span className="pill pill-neutral" data-policy="report-only" title={policy.reason}>
        Report only
      </span>
    );
  }
  return (
    <span
      className={`pill pill-policy-${policy.state}`}
      data-policy={policy.state}
      title={policy.reason}
    >
      {SYMBOL[policy.state]}
      {LABEL[policy.state]}
    </span>
  );
}

/** The policy's terms in a few words: "approval below 25% · freezes · hotfix, rollback exempt". */
export function policyTerms(policy: SloPolicy): string {
  if (policy.reportOnly) return policy.declared ? "report only" : "report only (default)";
  const terms = [
    policy.approvalBelow === null
      ? null
      : `approval below ${Math.round(policy.approvalBelow * 1000) / 10}%`,
    policy.freezeWhenExhausted ? "freezes when exhausted" : null,
    policy.exempt.length === 0 ? "nothing exempt" : `${policy.exempt.join(", ")} exempt`,
  ].filter((term) => term !== null);
  return `${terms.join(" · ")}${policy.declared ? "" : " (default policy)"}`;
}
