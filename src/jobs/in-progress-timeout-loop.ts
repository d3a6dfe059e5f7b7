import type { ServiceContext } from "../services/service-context.js";
import { timeOutAttempts } from "../services/time-out-attempts.js";
import { type Loop, startLoop } from "./start-loop.js";

/** Pause between looks for attempts past their in-progress timeout. */
export const DEFAULT_TIMEOUT_INTERVAL_MS = 60_000;

/**
 * Ends the attempts in progress past their timeout at once and then every `intervalMs` until
 * stopped. A round that fails is logged and the loop goes on (no backoff: the next round finds
 * the same attempts, so nothing is lost).
 */
export function startInProgressTimeoutLoop(
  ctx: Pick<ServiceContext, "store" | "engine" | "clock" | "logger">,
  options: { readonly intervalMs: number },
): Loop {
  const { intervalMs } = options;
  return startLoop({
    clock: ctx.clock,
    timing: { intervalMs, maxBackoffMs: intervalMs },
    async round() {
      const ended = await timeOutAttempts({ ctx, input: { at: ctx.clock.now() } });
      if (ended.length > 0) {
        ctx.logger.info(
          { attempts: ended.map((attempt) => attempt.id) },
          "recorded attempts in progress past their in-progress timeout as timed_out",
        );
      }
      return intervalMs;
    },
    onError(error) {
      ctx.logger.error(
        { error: error instanceof Error ? error.message : String(error) },
        "in-progress timeout round failed",
      );
    },
  });
}
