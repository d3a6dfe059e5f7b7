import type { DeliveryLogger } from "../services/deliver-notifications.js";
import { type TimeOutContext, timeOutAttempts } from "../services/time-out-attempts.js";

/** Pause between looks for attempts past their in-progress timeout. */
export const DEFAULT_TIMEOUT_INTERVAL_MS = 60_000;

export interface InProgressTimeoutLoop {
  /** Waits for the round in flight, then stops. */
  stop(): Promise<void>;
}

/**
 * Ends the attempts in progress past their timeout at once and then every `intervalMs` until
 * stopped. A round that fails is logged and the loop goes on; the next round finds the same
 * attempts, so nothing is lost.
 */
export function startInProgressTimeoutLoop(
  context: TimeOutContext,
  options: { readonly intervalMs: number; readonly now: () => number },
  logger?: DeliveryLogger,
): InProgressTimeoutLoop {
  let stopped = false;
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
    while (!stopped) {
      try {
        const ended = await timeOutAttempts(context, options.now());
        if (ended.length > 0) {
          logger?.info(
            { attempts: ended.map((attempt) => attempt.id) },
            "recorded attempts in progress past their in-progress timeout as timed_out",
          );
        }
      } catch (error) {
        logger?.error(
          { error: error instanceof Error ? error.message : String(error) },
          "in-progress timeout round failed",
        );
      }
      if (stopped) break;
      await pause(options.intervalMs);
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
