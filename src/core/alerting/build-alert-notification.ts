import { type AlertNotification, notificationKey } from "../notification/alert-notification.js";
import { formatTimestamp } from "../primitives/timestamp.js";
import type { Slo } from "../spec/slo.js";
import type { AlertTransitionRecord } from "./alert-record.js";

/**
 * The notification of a firing or resolved transition of one of `slo`'s alerts, to the SLO's
 * `notify:` targets (null when it has none). Its key names the episode (slo, alert, the
 * instant it began firing) and the state, so building it again gives the same key.
 */
export function buildAlertNotification(
  slo: Slo,
  transition: Pick<AlertTransitionRecord, "alert" | "severity" | "at"> & {
    readonly state: "firing" | "resolved";
  },
  startsAt: number,
  atRisk: readonly string[],
): AlertNotification | null {
  const policy = slo.alerting;
  if (policy.notify.length === 0) return null;
  const { alert, severity, state, at } = transition;
  const labels: Record<string, string> = {
    ...policy.labels,
    slo: slo.name,
    alert,
    severity,
  };
  const risk = atRisk.length > 0 ? ` (puts ${atRisk.join(", ")} at risk)` : "";
  const summary =
    state === "firing"
      ? `${slo.name}: ${alert} is firing${risk}`
      : `${slo.name}: ${alert} resolved${risk}`;
  const why =
    state === "firing"
      ? `Firing since ${formatTimestamp(startsAt)}.`
      : `Fired from ${formatTimestamp(startsAt)} to ${formatTimestamp(at)}.`;
  const annotations: Record<string, string> = {
    summary,
    description: [slo.description, why].filter((part) => part !== null).join(" "),
    slo: slo.name,
    severity,
  };
  if (policy.runbookUrl !== null) annotations.runbook_url = policy.runbookUrl;
  if (atRisk.length > 0) annotations.at_risk = atRisk.join(",");
  return {
    key: notificationKey(slo.name, alert, startsAt, state),
    kind: "alert",
    slo: slo.name,
    alert,
    severity,
    state,
    at,
    startsAt,
    endsAt: state === "resolved" ? at : null,
    labels,
    annotations,
    targets: [...policy.notify],
  };
}

/**
 * The resolved notification of a firing alert whose SLO or rule was removed from the config:
 * the firing one's targets, labels and annotations, resolved at `at`, saying why.
 */
export function resolvedByRemoval(firing: AlertNotification, at: number): AlertNotification {
  return {
    ...firing,
    key: notificationKey(firing.slo, firing.alert, firing.startsAt, "resolved"),
    state: "resolved",
    at,
    endsAt: at,
    annotations: {
      ...firing.annotations,
      summary: `${firing.slo}: ${firing.alert} resolved (removed from the configuration)`,
      description: `Fired from ${formatTimestamp(firing.startsAt)}; resolved at ${formatTimestamp(at)} because the SLO or its alert rule is no longer in the configuration.`,
    },
  };
}
