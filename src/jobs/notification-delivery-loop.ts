import {
  DELIVERIES_PER_ROUND,
  type DeliveryContext,
  deliverDueNotifications,
} from "../services/deliver-notifications.js";

export interface DeliveryLoopOptions {
  /** Pause between rounds that found nothing more to do, ms. */
  readonly intervalMs: number;
  /** Longest pause after the store failed, ms (pauses double from intervalMs). */
  readonly maxBackoffMs: number;
}

export const DEFAULT_DELIVERY_LOOP: DeliveryLoopOptions = Object.freeze({
  intervalMs: 2_000,
  maxBackoffMs: 60_000,
});

export interface DeliveryLoop {
  /** Stops claiming, aborts sends in flight (they are retried later) and waits for the round. */
  stop(): Promise<void>;
}

/**
 * Runs delivery rounds until stopped: again at once while rounds come back full, every
 * intervalMs otherwise, and with doubling pauses while the store fails.
 */
export function startDeliveryLoop(
  context: DeliveryContext,
  options: DeliveryLoopOptions = DEFAULT_DELIVERY_LOOP,
): DeliveryLoop {
  const controller = new AbortController();
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const running = (async () => {
    let failures = 0;
    while (!controller.signal.aborted) {
      let full = false;
      try {
        const round = await deliverDueNotifications(context, controller.signal);
        full = round.claimed >= DELIVERIES_PER_ROUND;
        failures = 0;
      } catch (error) {
        failures++;
        context.logger?.error(
          { error: error instanceof Error ? error.message : String(error), failures },
          "notification delivery round failed",
        );
      }
      if (controller.signal.aborted) break;
      if (full) continue;
      const backoff =
        failures === 0
          ? options.intervalMs
          : Math.min(options.maxBackoffMs, options.intervalMs * 2 ** failures);
      await pause(backoff);
    }
  })();

  return {
    async stop() {
      controller.abort();
      wake?.();
      await running;
    },
  };
}
