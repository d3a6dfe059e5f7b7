import type { NotificationDelivery } from "../core/notification/notification-delivery.js";
import type { DeliveryFilter } from "../store/store.js";
import { maySeeNotification, type ReadScope, visibleSloNames } from "./read-scope.js";
import type { UseCaseCall } from "./service-context.js";

/**
 * The outbox as people look at it: deliveries newest first, filtered by status (`dead` for
 * the ones given up), SLO or target, of the SLOs the reader may see. Failures show their
 * attempts and last error.
 */
export async function listNotifications({
  ctx: { store, engine },
  input: { filter, limit, scope },
}: UseCaseCall<
  "store" | "engine",
  { readonly filter: DeliveryFilter; readonly limit: number; readonly scope: ReadScope }
>): Promise<readonly NotificationDelivery[]> {
  if (scope === undefined) return store.listNotificationDeliveries(filter, limit);
  const visible = visibleSloNames(scope, engine.slos);
  const slos = engine.slos.map((slo) => slo.name).filter(visible);
  const deliveries = await store.listNotificationDeliveries({ ...filter, slos }, limit);
  return deliveries.filter((delivery) => maySeeNotification(visible, delivery.notification));
}
