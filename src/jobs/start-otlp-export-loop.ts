import {
  exportAttemptTraces,
  OTLP_EXPORT_LEASE,
  type OtlpExportConfig,
} from "../services/export-attempt-traces.js";
import type { ServiceContext } from "../services/service-context.js";
import { type Loop, type LoopTiming, startLoop } from "./start-loop.js";

/**
 * Rounds every 5 s while idle; after failed rounds (the receiver is away) the pause doubles up
 * to 5 minutes. The lease outlasts a round (a request times out after 10 s by default), so
 * another replica takes over about 30 s after the holder dies.
 */
export const DEFAULT_OTLP_EXPORT_LOOP: LoopTiming = Object.freeze({
  intervalMs: 5_000,
  maxBackoffMs: 5 * 60_000,
});
export const OTLP_EXPORT_LEASE_MS = 30_000;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Exports finished attempts as OTLP traces until stopped: again at once while changes wait,
 * every intervalMs otherwise, with doubling pauses while the receiver cannot be reached (the
 * attempts stay unsent and the next round sends them). Stopping aborts the request in flight
 * and gives the lease up.
 */
export function startOtlpExportLoop(
  ctx: Pick<ServiceContext, "store" | "clock" | "logger">,
  options: {
    readonly config: OtlpExportConfig;
    /** This process's name in the lease; unique per replica. */
    readonly owner: string;
    readonly timing?: LoopTiming;
  },
): Loop {
  const timing = options.timing ?? DEFAULT_OTLP_EXPORT_LOOP;
  const leaseMs = Math.max(OTLP_EXPORT_LEASE_MS, 3 * options.config.timeoutMs);
  return startLoop({
    clock: ctx.clock,
    timing,
    async round(signal) {
      const round = await exportAttemptTraces({
        ctx,
        input: { config: options.config, owner: options.owner, leaseMs, signal },
      });
      if (round.exported > 0)
        ctx.logger.info({ attempts: round.exported }, "exported attempt traces");
      return round.more ? 0 : timing.intervalMs;
    },
    onError(error, failures) {
      ctx.logger.error(
        { error: message(error), failures },
        "OTLP trace export failed; retrying with backoff",
      );
    },
    async onStop() {
      try {
        await ctx.store.releaseLease(OTLP_EXPORT_LEASE, options.owner);
      } catch (error) {
        ctx.logger.warn({ error: message(error) }, "could not release the OTLP export lease");
      }
    },
  });
}
