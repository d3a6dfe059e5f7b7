import type { NotificationDeliveryJson } from "../../contract/notification-delivery-schema.js";
import type { NotificationDelivery } from "./notification-delivery.js";

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** A delivery as GET /api/v1/notifications shows it; times in RFC 3339 UTC. */
export function notificationDeliveryToJson(
  delivery: NotificationDelivery,
): NotificationDeliveryJson {
  const n = delivery.notification;
  return {
    key: n.key,
    target: delivery.target,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: iso(delivery.nextAttemptAt),
    lastError: delivery.lastError,
    lastStatus: delivery.lastStatus,
    createdAt: iso(delivery.createdAt) ?? "",
    updatedAt: iso(delivery.updatedAt) ?? "",
    deliveredAt: iso(delivery.deliveredAt),
    notification: {
      kind: n.kind,
      slo: n.slo,
      alert: n.alert,
      severity: n.severity,
      state: n.state,
      at: iso(n.at) ?? "",
      startsAt: iso(n.startsAt) ?? "",
      endsAt: iso(n.endsAt),
      labels: n.labels,
      annotations: n.annotations,
    },
  };
}
