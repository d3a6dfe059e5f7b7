import type { DeliveryLogger } from "../services/deliver-notifications.js";
import {
  ALERT_EVALUATOR_LEASE,
  type AlertEvaluationContext,
  runAlertEvaluation,
} from "../services/run-alert-evaluation.js";

/** Default pause between alert evaluations (`serve --alert-interval`). */
export const DEFAULT_ALERT_INTERVAL_MS = 30_000;
/** The lease outlives this many intervals, so a busy round does not lose it. */
const LEASE_INTERVALS = 3;
/** …and never less than this: an evaluation over a large view can take seconds. */
const MIN_LEASE_MS = 30_000;

export interface AlertEvaluationLoop {
  /** Waits for the round in flight, then gives the lease up so another replica takes over. */
  stop(): Promise<void>;
}

/** How long the evaluator's lease lasts for a given interval. */
export function alertLeaseMs(intervalMs: number): number {
  return Math.max(MIN_LEASE_MS, LEASE_INTERVALS * intervalMs);
}

/**
 * Runs alert evaluation rounds at once and then every `intervalMs` until stopped. A round
 * that fails is logged and the loop goes on; the next round starts from the persisted states,
 * so nothing is lost.
 */
export function startAlertEvaluationLoop(
  context: Omit<AlertEvaluationContext, "leaseMs">,
  options: { readonly intervalMs: number; readonly now: () => number },
  logger?: DeliveryLogger,
): AlertEvaluationLoop {
  const full: AlertEvaluationContext = { ...context, leaseMs: alertLeaseMs(options.intervalMs) };
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
        const round = await runAlertEvaluation(full, options.now());
        if (round.transitions > 0) {
          logger?.info(
            { transitions: round.transitions, notifications: round.notifications },
            "alert transitions",
          );
        }
      } catch (error) {
        logger?.error(
          { error: error instanceof Error ? error.message : String(error) },
          "alert evaluation round failed",
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
      try {
        await context.store.releaseLease(ALERT_EVALUATOR_LEASE, context.owner);
      } catch (error) {
        // The lease runs out by itself; another replica takes over a little later.
        logger?.warn(
          { error: error instanceof Error ? error.message : String(error) },
          "could not release the alert evaluator lease",
        );
      }
    },
  };
}
