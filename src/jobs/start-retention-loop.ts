import { keepLease } from "../services/keep-lease.js";
import {
  type PrunedBatch,
  pruneExpiredRows,
  RETENTION_LEASE,
} from "../services/prune-expired-rows.js";
import type { ServiceContext } from "../services/service-context.js";
import { type Loop, startLoop } from "./start-loop.js";

/** How deletion is paced; the defaults keep each transaction to a few milliseconds. */
export interface RetentionTiming {
  /** Between two passes, ms. */
  readonly intervalMs: number;
  /** Rows per transaction. */
  readonly batchSize: number;
  /** Between two batches of a pass, ms. */
  readonly pauseMs: number;
}

export const DEFAULT_RETENTION_TIMING: RetentionTiming = Object.freeze({
  intervalMs: 3_600_000,
  batchSize: 1_000,
  pauseMs: 100,
});

/**
 * The lease lasts a minute and is renewed every 20 s, also during a long pass; a standby
 * replica tries to take it at every interval, so a pass runs within an interval of the
 * holder's death.
 */
const RETENTION_LEASE_MS = 60_000;
const RENEW_MS = RETENTION_LEASE_MS / 3;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Deletes the rows no SLO can see any more at once and then every `intervalMs` until stopped
 * (docs/operations.md, "Retention"). `retainMs` is read at every pass, so a reload that
 * changes the SLOs changes the default retention; undefined deletes nothing. A pass that
 * fails is logged and the next one starts over: deletion is idempotent.
 */
export function startRetentionLoop(
  ctx: Pick<ServiceContext, "store" | "engine" | "clock" | "logger">,
  options: {
    /** This process's name in the lease; unique per replica. */
    readonly owner: string;
    readonly retainMs: () => number | undefined;
    readonly timing?: RetentionTiming;
    readonly onBatch?: (batch: PrunedBatch) => void;
  },
): Loop {
  const { owner } = options;
  const timing = options.timing ?? DEFAULT_RETENTION_TIMING;
  const stopRenewing = keepLease({
    store: ctx.store,
    name: RETENTION_LEASE,
    owner,
    leaseMs: RETENTION_LEASE_MS,
    everyMs: RENEW_MS,
    now: () => ctx.clock.now(),
  });
  return startLoop({
    clock: ctx.clock,
    timing: { intervalMs: timing.intervalMs, maxBackoffMs: timing.intervalMs },
    async round(signal) {
      const retainMs = options.retainMs();
      if (retainMs === undefined) return timing.intervalMs;
      const started = ctx.clock.now();
      const pass = await pruneExpiredRows({
        ctx,
        input: {
          retainMs,
          owner,
          leaseMs: RETENTION_LEASE_MS,
          batchSize: timing.batchSize,
          pauseMs: timing.pauseMs,
          signal,
          ...(options.onBatch === undefined ? {} : { onBatch: options.onBatch }),
        },
      });
      if (pass.held && pass.cutoff !== null && pass.attempts + pass.notifications > 0) {
        ctx.logger.info(
          {
            cutoff: new Date(pass.cutoff).toISOString(),
            attempts: pass.attempts,
            notifications: pass.notifications,
            batches: pass.batches,
            ms: ctx.clock.now() - started,
          },
          "deleted rows older than the retention",
        );
      }
      return timing.intervalMs;
    },
    onError(error) {
      ctx.logger.error({ error: message(error) }, "retention pass failed");
    },
    async onStop() {
      stopRenewing();
      try {
        await ctx.store.releaseLease(RETENTION_LEASE, owner);
      } catch (error) {
        ctx.logger.warn({ error: message(error) }, "could not release the retention lease");
      }
    },
  });
}
