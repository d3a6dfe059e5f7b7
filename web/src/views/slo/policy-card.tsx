import type { SloPolicy } from "../../../../src/contract/slo-policy-schema.js";
import type { Loadable } from "../../api.js";
import { PolicyBadge, policyTerms } from "../../components/policy-badge.js";
import { ErrorNotice, Loading } from "../../components/status.js";
import { percent } from "../../format.js";
import { Link } from "../../navigation.js";
import { AuditEntries, type AuditPage } from "../audit/audit-entries.js";

/** The SLO's policy state and why, with the thresholds it compares the remaining budget to. */
export function PolicyCard({ name, policy }: { name: string; policy: SloPolicy }) {
  return (
    <section
      className={`card policy-card${policy.state === "frozen" ? " notice-frozen" : ""}`}
      aria-labelledby="policy-heading"
      data-field="policy-card"
    >
      <h2 id="policy-heading">
        Deploy policy <PolicyBadge policy={policy} />
      </h2>
      <p data-field="policy-reason">{policy.reason}.</p>
      {policy.unblock === null ? null : (
        <p>
          <strong>To unblock:</strong> {policy.unblock}.
        </p>
      )}
      <dl>
        <dt>Error budget left</dt>
        <dd className="num">{percent(policy.remainingRatio, 1)}</dd>
        <dt>Approval below</dt>
        <dd>{policy.approvalBelow === null ? "never asks" : percent(policy.approvalBelow, 1)}</dd>
        <dt>Freeze when exhausted</dt>
        <dd>{policy.freezeWhenExhausted ? "yes" : "no"}</dd>
        <dt>Exempt changes</dt>
        <dd>{policy.exempt.length === 0 ? "none" : policy.exempt.join(", ")}</dd>
        <dt>Policy</dt>
        <dd>
          {policy.declared
            ? `spec.policy: ${policyTerms(policy)}`
            : `no spec.policy: ${policyTerms(policy)}`}
        </dd>
      </dl>
      <p className="muted">
        <Link to={{ page: { kind: "audit" }, slo: name, entry: null, before: null }}>
          All gate decisions and approvals for {name} in the audit log →
        </Link>
      </p>
    </section>
  );
}

/** The gate decisions and approvals of the page's time range that concerned this SLO. */
export function SloAuditCard({ audit }: { audit: Loadable<AuditPage> & { reload(): void } }) {
  return (
    <section className="card" aria-labelledby="gate-heading" data-field="slo-audit">
      <h2 id="gate-heading">Gate decisions and approvals</h2>
      {audit.state === "error" ? (
        <ErrorNotice error={audit.error} what="the audit log" retry={audit.reload} />
      ) : null}
      {audit.data === undefined ? (
        audit.state === "loading" ? (
          <Loading what="gate decisions" />
        ) : null
      ) : (
        <AuditEntries entries={audit.data.entries} />
      )}
    </section>
  );
}
