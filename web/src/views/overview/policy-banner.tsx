import type { OverviewSlo } from "../../../../src/contract/overview-schema.js";
import { Link } from "../../navigation.js";

/**
 * Which SLOs freeze deployments now, and which hold them for approval, above everything else:
 * a freeze stops normal changes, so it must be seen before any chart.
 */
export function PolicyBanner({ slos }: { slos: readonly OverviewSlo[] }) {
  const frozen = slos.filter((slo) => slo.policy.state === "frozen");
  const held = slos.filter((slo) => slo.policy.state === "approval_required");
  return (
    <>
      {frozen.length === 0 ? null : (
        <div className="notice notice-frozen" role="alert" data-field="frozen-banner">
          <strong className="frozen-title">
            ❄ Deployments frozen by {frozen.length === 1 ? "1 SLO" : `${frozen.length} SLOs`}
          </strong>
          <ul>
            {frozen.map((slo) => (
              <li key={slo.name} data-slo={slo.name}>
                <Link to={{ page: { kind: "slo", name: slo.name } }}>{slo.name}</Link>:{" "}
                {slo.policy.reason}.
                {slo.policy.unblock === null ? null : (
                  <span className="muted"> To unblock: {slo.policy.unblock}.</span>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {held.length === 0 ? null : (
        <div className="notice notice-approval" role="note" data-field="approval-banner">
          <strong>
            ⚠ Approval required by {held.length === 1 ? "1 SLO" : `${held.length} SLOs`}
          </strong>
          <ul>
            {held.map((slo) => (
              <li key={slo.name} data-slo={slo.name}>
                <Link to={{ page: { kind: "slo", name: slo.name } }}>{slo.name}</Link>:{" "}
                {slo.policy.reason}.
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
