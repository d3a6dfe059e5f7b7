import type { NotificationDelivery } from "../core/notification/notification-delivery.js";
import type { DeliveryFilter, Store } from "../store/store.js";

/**
 * The outbox as people look at it: deliveries newest first, filtered by status (`dead` for
 * the ones given up), SLO or target. Failures show their attempts and last error.
 */
export function listNotifications(
  store: Store,
  filter: DeliveryFilter,
  limit: number,
): Promise<readonly NotificationDelivery[]> {
  return store.listNotificationDeliveries(filter, limit);
}
