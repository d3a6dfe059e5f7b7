import { ALERT_EVALUATOR_LEASE, runAlertEvaluation } from "../services/run-alert-evaluation.js";
import type { ServiceContext } from "../services/service-context.js";
import { type Loop, startLoop } from "./start-loop.js";

/** Default pause between alert evaluations (`serve --alert-interval`). */
export const DEFAULT_ALERT_INTERVAL_MS = 30_000;
/** The lease outlives this many intervals, so a busy round does not lose it. */
const LEASE_INTERVALS = 3;
/** …and never less than this: an evaluation over a large view can take seconds. */
const MIN_LEASE_MS = 30_000;

/** How long the evaluator's lease lasts for a given interval. */
export function alertLeaseMs(intervalMs: number): number {
  return Math.max(MIN_LEASE_MS, LEASE_INTERVALS * intervalMs);
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs alert evaluation rounds at once and then every `intervalMs` until stopped. A round
 * that fails is logged and the loop goes on (no backoff: the next round starts from the
 * persisted states, so nothing is lost). Stopping waits for the round in flight, then gives
 * the lease up so another replica takes over.
 */
export function startAlertEvaluationLoop(
  ctx: Pick<ServiceContext, "store" | "engine" | "clock" | "logger">,
  options: {
    /** This process's name in the lease; unique per replica. */
    readonly owner: string;
    readonly intervalMs: number;
  },
): Loop {
  const { owner, intervalMs } = options;
  const leaseMs = alertLeaseMs(intervalMs);
  return startLoop({
    clock: ctx.clock,
    timing: { intervalMs, maxBackoffMs: intervalMs },
    async round() {
      const result = await runAlertEvaluation({
        ctx,
        input: { at: ctx.clock.now(), owner, leaseMs },
      });
      if (result.transitions > 0) {
        ctx.logger.info(
          { transitions: result.transitions, notifications: result.notifications },
          "alert transitions",
        );
      }
      return false;
    },
    onError(error) {
      ctx.logger.error({ error: message(error) }, "alert evaluation round failed");
    },
    async onStop() {
      try {
        await ctx.store.releaseLease(ALERT_EVALUATOR_LEASE, owner);
      } catch (error) {
        // The lease runs out by itself; another replica takes over a little later.
        ctx.logger.warn({ error: message(error) }, "could not release the alert evaluator lease");
      }
    },
  });
}
