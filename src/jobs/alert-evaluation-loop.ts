import type { DeliveryLogger } from "../services/deliver-notifications.js";
import { keepLease } from "../services/keep-lease.js";
import {
  ALERT_EVALUATOR_LEASE,
  type AlertEvaluationContext,
  runAlertEvaluation,
} from "../services/run-alert-evaluation.js";

/** Default pause between alert evaluations (`serve --alert-interval`). */
export const DEFAULT_ALERT_INTERVAL_MS = 30_000;
/**
 * The lease lasts 1.25 intervals, between 1.25 s and 10 s. It is renewed every third of that
 * (also during a long round), and a standby replica tries to take it as often, so when the
 * holder dies another takes over within 4/3 of the lease: 1.7 intervals, and 13.3 s at the
 * default 30 s (docs/alerting.md, "In the service").
 */
const LEASE_INTERVALS = 1.25;
const MIN_LEASE_MS = 1_250;
const MAX_LEASE_MS = 10_000;
const RENEWALS_PER_LEASE = 3;

export interface AlertEvaluationLoop {
  /** Waits for the round in flight, then gives the lease up so another replica takes over. */
  stop(): Promise<void>;
}

/** How long the evaluator's lease lasts for a given interval. */
export function alertLeaseMs(intervalMs: number): number {
  return Math.min(MAX_LEASE_MS, Math.max(MIN_LEASE_MS, LEASE_INTERVALS * intervalMs));
}

/** How often the holder renews the lease and a standby replica tries to take it. */
export function alertLeaseRenewMs(intervalMs: number): number {
  return alertLeaseMs(intervalMs) / RENEWALS_PER_LEASE;
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
  const renewMs = alertLeaseRenewMs(options.intervalMs);
  const stopRenewing = keepLease({
    store: context.store,
    name: ALERT_EVALUATOR_LEASE,
    owner: context.owner,
    leaseMs: full.leaseMs,
    everyMs: renewMs,
    now: options.now,
  });
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
      // A standby replica (another holds the lease) tries again sooner than the interval.
      let pauseMs = renewMs;
      try {
        const round = await runAlertEvaluation(full, options.now());
        if (round.evaluated) pauseMs = options.intervalMs;
        if (round.transitions > 0) {
          logger?.info(
            { transitions: round.transitions, notifications: round.notifications },
            "alert transitions",
          );
        }
      } catch (error) {
        // Likely the database is away: one log line per interval is enough.
        pauseMs = options.intervalMs;
        logger?.error(
          { error: error instanceof Error ? error.message : String(error) },
          "alert evaluation round failed",
        );
      }
      if (stopped) break;
      await pause(Math.min(pauseMs, options.intervalMs));
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await running;
      stopRenewing();
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
