import type { AlertNotification } from "../notification/alert-notification.js";
import { formatTimestamp } from "../primitives/timestamp.js";
import type { Slo } from "../spec/slo.js";
import type { Approval } from "./approval.js";
import { percent } from "./budget-standing.js";
import type { SloPolicy } from "./slo-policy-state.js";

/** The alert name approval notifications carry. */
export const APPROVAL_ALERT = "approval-granted";

/**
 * The notification that `approval` was granted, to the `notify:` targets of one SLO whose policy
 * it counts for (null when the SLO has none): who, for what, until when, why, and where the
 * SLO's budget stands. Its endsAt is the approval's expiry.
 */
export function approvalNotification(
  approval: Approval,
  slo: Slo,
  policy: SloPolicy,
): AlertNotification | null {
  const { alerting } = slo;
  if (alerting.notify.length === 0) return null;
  const severity = "ticket";
  const scope = `${approval.model}${approval.version === null ? "" : ` ${approval.version}`} → ${approval.environment}`;
  const description = [
    `${approval.approver} approved promotions of ${scope} until ${formatTimestamp(approval.expiresAt)}: "${approval.reason}".`,
    `${slo.name} now: ${policy.reason}.`,
    policy.state === "frozen"
      ? "An approval never lifts a freeze: normal changes stay denied until the budget recovers."
      : "While the SLO requires approval, normal changes of this scope pass the gate until the approval expires.",
  ].join(" ");
  const annotations: Record<string, string> = {
    summary: `${slo.name}: approval granted by ${approval.approver} for ${scope} (${percent(policy.remainingRatio)} of the error budget left)`,
    description,
    slo: slo.name,
    severity,
    approval_id: approval.id,
    approver: approval.approver,
    reason: approval.reason,
    model: approval.model,
    environment: approval.environment,
    ...(approval.version === null ? {} : { version: approval.version }),
    expires_at: formatTimestamp(approval.expiresAt),
    remaining_ratio: String(policy.remainingRatio),
    policy_state: policy.state,
  };
  if (alerting.runbookUrl !== null) annotations.runbook_url = alerting.runbookUrl;
  return {
    key: `${slo.name}/${APPROVAL_ALERT}/${approval.id}`,
    kind: "approval",
    slo: slo.name,
    alert: APPROVAL_ALERT,
    severity,
    state: "firing",
    at: approval.grantedAt,
    startsAt: approval.grantedAt,
    endsAt: approval.expiresAt,
    labels: { ...alerting.labels, slo: slo.name, alert: APPROVAL_ALERT, severity },
    annotations,
    targets: [...alerting.notify],
  };
}
