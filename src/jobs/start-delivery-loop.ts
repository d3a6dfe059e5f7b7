import {
  DELIVERIES_PER_ROUND,
  type DeliveryContext,
  deliverDueNotifications,
} from "../services/deliver-due-notifications.js";
import { type Loop, type LoopTiming, startLoop } from "./start-loop.js";

export const DEFAULT_DELIVERY_LOOP: LoopTiming = Object.freeze({
  intervalMs: 2_000,
  maxBackoffMs: 60_000,
});

/**
 * Runs delivery rounds until stopped: again at once while rounds come back full, every
 * intervalMs otherwise, and with doubling pauses while the store fails. Stopping aborts the
 * sends in flight (they are retried later) and waits for the round.
 */
export function startDeliveryLoop(
  ctx: DeliveryContext,
  /** This process's name in leases; unique per replica. */
  owner: string,
  timing: LoopTiming = DEFAULT_DELIVERY_LOOP,
): Loop {
  return startLoop({
    clock: ctx.clock,
    timing,
    async round(signal) {
      const round = await deliverDueNotifications({ ctx, input: { owner, signal } });
      return round.claimed >= DELIVERIES_PER_ROUND ? 0 : timing.intervalMs;
    },
    onError(error, failures) {
      ctx.logger.error(
        { error: error instanceof Error ? error.message : String(error), failures },
        "notification delivery round failed",
      );
    },
  });
}
