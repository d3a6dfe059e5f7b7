import type { AlertNotification } from "../core/notification/alert-notification.js";
import type { NotificationDelivery } from "../core/notification/notification-delivery.js";
import { parseStoredJson } from "./parse-stored-json.js";
import type { NewOutboxRow, OutboxRow } from "./schema.js";
import { wholeMillis } from "./whole-millis.js";

/** The pending outbox row delivering `notification` to `target`, due at the transition. */
export function notificationToRow(
  notification: AlertNotification,
  target: string,
  now: number,
): NewOutboxRow {
  const what = `notification ${JSON.stringify(notification.key)}`;
  const at = wholeMillis(notification.at, `${what}: at`);
  return {
    key: notification.key,
    target,
    slo: notification.slo,
    alert: notification.alert,
    state: notification.state,
    at,
    starts_at: wholeMillis(notification.startsAt, `${what}: startsAt`),
    notification: JSON.stringify(notification),
    status: "pending",
    next_attempt_at: at,
    lease_owner: null,
    lease_until: null,
    last_error: null,
    last_status: null,
    created_at: now,
    updated_at: now,
    delivered_at: null,
  };
}

export function rowToDelivery(row: OutboxRow): NotificationDelivery {
  const stored = parseStoredJson<Omit<AlertNotification, "kind"> & Partial<AlertNotification>>(
    row.notification,
    `stored notification ${JSON.stringify(row.key)}`,
  );
  return {
    // Rows written before freeze and approval notifications existed were all alerts.
    notification: { ...stored, kind: stored.kind ?? "alert" },
    target: row.target,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    lastStatus: row.last_status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deliveredAt: row.delivered_at,
  };
}
