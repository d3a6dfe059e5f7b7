import { keepLease } from "../services/keep-lease.js";
import { ALERT_EVALUATOR_LEASE, runAlertEvaluation } from "../services/run-alert-evaluation.js";
import type { ServiceContext } from "../services/service-context.js";
import { type Loop, startLoop } from "./start-loop.js";

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

/** How long the evaluator's lease lasts for a given interval. */
export function alertLeaseMs(intervalMs: number): number {
  return Math.min(MAX_LEASE_MS, Math.max(MIN_LEASE_MS, LEASE_INTERVALS * intervalMs));
}

/** How often the holder renews the lease and a standby replica tries to take it. */
export function alertLeaseRenewMs(intervalMs: number): number {
  return alertLeaseMs(intervalMs) / RENEWALS_PER_LEASE;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs alert evaluation rounds at once and then every `intervalMs` until stopped (a standby
 * replica tries to take the lease every renewal period), renewing the lease meanwhile. A
 * round that fails is logged and the loop goes on after one interval (the next round starts
 * from the persisted states, so nothing is lost). Stopping waits for the round in flight, then gives
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
  const renewMs = alertLeaseRenewMs(intervalMs);
  const stopRenewing = keepLease({
    store: ctx.store,
    name: ALERT_EVALUATOR_LEASE,
    owner,
    leaseMs,
    everyMs: renewMs,
    now: () => ctx.clock.now(),
  });
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
      // A standby replica (another holds the lease) tries again sooner than the interval.
      return result.evaluated ? intervalMs : Math.min(renewMs, intervalMs);
    },
    onError(error) {
      ctx.logger.error({ error: message(error) }, "alert evaluation round failed");
    },
    async onStop() {
      stopRenewing();
      try {
        await ctx.store.releaseLease(ALERT_EVALUATOR_LEASE, owner);
      } catch (error) {
        // The lease runs out by itself; another replica takes over a little later.
        ctx.logger.warn({ error: message(error) }, "could not release the alert evaluator lease");
      }
    },
  });
}
