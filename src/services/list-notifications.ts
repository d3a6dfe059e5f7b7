import type { NotificationDelivery } from "../core/notification/notification-delivery.js";
import type { DeliveryFilter } from "../store/store.js";
import type { UseCaseCall } from "./service-context.js";

/**
 * The outbox as people look at it: deliveries newest first, filtered by status (`dead` for
 * the ones given up), SLO or target. Failures show their attempts and last error.
 */
export function listNotifications({
  ctx,
  input: { filter, limit },
}: UseCaseCall<"store", { readonly filter: DeliveryFilter; readonly limit: number }>): Promise<
  readonly NotificationDelivery[]
> {
  return ctx.store.listNotificationDeliveries(filter, limit);
}
