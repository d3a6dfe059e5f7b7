import { randomUUID } from "node:crypto";
import type { ResolvedTarget } from "../core/notification/notification-target.js";
import { createNotifiers } from "../notify/notifiers.js";
import type { DeliveryLogger } from "../services/deliver-notifications.js";
import type { Store } from "../store/store.js";
import { type DeliveryLoop, startDeliveryLoop } from "./notification-delivery-loop.js";

/**
 * Starts delivering the outbox with the real notifiers, clock and randomness, under a fresh
 * lease owner for this process. `targets` is read at every round, so a reload applies.
 */
export function startNotificationDelivery(
  store: Store,
  targets: () => ReadonlyMap<string, ResolvedTarget>,
  logger?: DeliveryLogger,
): DeliveryLoop {
  return startDeliveryLoop({
    store,
    targets,
    notifiers: createNotifiers(() => Date.now()),
    owner: randomUUID(),
    now: () => Date.now(),
    random: Math.random,
    ...(logger === undefined ? {} : { logger }),
  });
}
