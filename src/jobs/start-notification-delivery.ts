import { randomUUID } from "node:crypto";
import type { ResolvedTarget } from "../core/notification/notification-target.js";
import { createNotifiers } from "../notify/notifiers.js";
import type { ServiceContext } from "../services/service-context.js";
import { startDeliveryLoop } from "./start-delivery-loop.js";
import type { Loop } from "./start-loop.js";

/**
 * Starts delivering the outbox with the real notifiers, under a fresh lease owner for this
 * process. `targets` is read at every round, so a reload applies.
 */
export function startNotificationDelivery(
  ctx: Pick<ServiceContext, "store" | "clock" | "random" | "logger">,
  targets: () => ReadonlyMap<string, ResolvedTarget>,
): Loop {
  return startDeliveryLoop(
    { ...ctx, targets, notifiers: createNotifiers(ctx.clock) },
    randomUUID(),
  );
}
