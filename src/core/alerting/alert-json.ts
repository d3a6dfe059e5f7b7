import type { AlertJson } from "../../contract/alert-schema.js";
import type { AlertTransitionJson } from "../../contract/alert-transition-schema.js";
import type { NotificationDelivery } from "../notification/notification-delivery.js";
import type { AlertRecord, AlertTransitionRecord } from "./alert-record.js";

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** An alert as GET /api/v1/alerts shows it; times in RFC 3339 UTC. */
export function alertToJson(
  alert: AlertRecord,
  lastNotification: {
    readonly key: string;
    readonly deliveries: readonly NotificationDelivery[];
  } | null,
): AlertJson {
  return {
    slo: alert.slo,
    alert: alert.alert,
    severity: alert.severity,
    state: alert.state,
    since: iso(alert.since) ?? "",
    activeAt: iso(alert.activeAt),
    startsAt: iso(alert.startsAt),
    evaluatedAt: iso(alert.evaluatedAt) ?? "",
    atRisk: [...alert.atRisk],
    notification:
      lastNotification === null
        ? null
        : {
            key: lastNotification.key,
            deliveries: lastNotification.deliveries.map((d) => ({
              target: d.target,
              status: d.status,
              attempts: d.attempts,
              lastError: d.lastError,
              deliveredAt: iso(d.deliveredAt),
            })),
          },
  };
}

/** A recorded transition as GET /api/v1/alerts shows it. */
export function alertTransitionToJson(transition: AlertTransitionRecord): AlertTransitionJson {
  return {
    slo: transition.slo,
    alert: transition.alert,
    severity: transition.severity,
    state: transition.state,
    at: iso(transition.at) ?? "",
    startsAt: iso(transition.startsAt),
    reason: transition.reason,
  };
}
