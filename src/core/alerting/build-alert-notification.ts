import {
  type AlertNotification,
  incidentKey,
  notificationKey,
} from "../notification/alert-notification.js";
import { formatTimestamp } from "../primitives/timestamp.js";
import type { Slo } from "../spec/slo.js";
import type { AlertTransitionRecord } from "./alert-record.js";

/** What a page tells beside its own rule: the incident, the other rules, the grouped SLOs. */
export interface IncidentContext {
  readonly key: string;
  /** Every SLO in the incident, the one that opened it first. */
  readonly slos: readonly string[];
  /** The other alerts firing in it (`slo/alert`, or `alert` for the SLO's own). */
  readonly also: readonly string[];
}

/**
 * The notification of a firing or resolved transition of one of `slo`'s alerts, to the SLO's
 * `notify:` targets (none when it has none: then it is only counted, not sent). Its key names
 * the episode (slo, alert, the instant it began firing) and the state, so building it again
 * gives the same key. A page carries its incident; a ticket is its own incident.
 */
export function buildAlertNotification(
  slo: Slo,
  transition: Pick<AlertTransitionRecord, "alert" | "severity" | "at"> & {
    readonly state: "firing" | "resolved";
  },
  startsAt: number,
  atRisk: readonly string[],
  incident?: IncidentContext,
): AlertNotification {
  const policy = slo.alerting;
  const { alert, severity, state, at } = transition;
  const key = incident?.key ?? incidentKey(`${slo.name}/${alert}`, startsAt);
  const slos = incident?.slos ?? [slo.name];
  const labels: Record<string, string> = {
    ...policy.labels,
    slo: slo.name,
    alert,
    severity,
  };
  const risk = atRisk.length > 0 ? ` (puts ${atRisk.join(", ")} at risk)` : "";
  const also = incident !== undefined && incident.also.length > 0;
  const more = also ? `; also firing: ${incident.also.join(", ")}` : "";
  const grouped = slos.length > 1 ? `; one incident with ${slos.slice(1).join(", ")}` : "";
  const summary =
    state === "firing"
      ? `${slo.name}: ${alert} is firing${risk}${more}${grouped}`
      : `${slo.name}: ${alert} resolved${risk}${grouped}`;
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
  if (also) annotations.also_firing = incident.also.join(",");
  if (slos.length > 1) annotations.slos = slos.join(",");
  return {
    key: notificationKey(slo.name, alert, startsAt, state),
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
    incident: key,
    slos: [...slos],
  };
}

/**
 * The resolve of a firing notification: the same key but for the state, targets, labels and
 * incident, resolved at `at`; `summary` and `description` say `why` when given (removed from
 * the configuration) and name every SLO of the incident.
 */
export function resolvedFrom(
  firing: AlertNotification,
  at: number,
  why: "condition" | "removed",
  slos: readonly string[] = firing.slos ?? [firing.slo],
): AlertNotification {
  const grouped = slos.length > 1 ? `; one incident with ${slos.slice(1).join(", ")}` : "";
  const { also_firing: _also, ...kept } = firing.annotations;
  const risk =
    kept.at_risk === undefined ? "" : ` (puts ${kept.at_risk.split(",").join(", ")} at risk)`;
  // The SLO's description, without the firing notification's "Firing since …".
  const context = (kept.description ?? "").replace(/ ?Firing since \S+\.$/, "");
  const description =
    why === "removed"
      ? `Fired from ${formatTimestamp(firing.startsAt)}; resolved at ${formatTimestamp(at)} because the SLO or its alert rule is no longer in the configuration.`
      : [context, `Fired from ${formatTimestamp(firing.startsAt)} to ${formatTimestamp(at)}.`]
          .filter((part) => part !== "")
          .join(" ");
  const annotations: Record<string, string> = {
    ...kept,
    summary:
      why === "removed"
        ? `${firing.slo}: ${firing.alert} resolved (removed from the configuration)${grouped}`
        : `${firing.slo}: ${firing.alert} resolved${risk}${grouped}`,
    description,
  };
  if (slos.length > 1) annotations.slos = slos.join(",");
  return {
    ...firing,
    key: notificationKey(firing.slo, firing.alert, firing.startsAt, "resolved"),
    state: "resolved",
    at,
    endsAt: at,
    annotations,
    ...(firing.slos === undefined ? {} : { slos: [...slos] }),
  };
}

/**
 * The resolved notification of a firing alert whose SLO or rule was removed from the config:
 * the firing one's targets, labels and annotations, resolved at `at`, saying why.
 */
export function resolvedByRemoval(firing: AlertNotification, at: number): AlertNotification {
  return resolvedFrom(firing, at, "removed");
}
