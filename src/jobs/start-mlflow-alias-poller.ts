import {
  type AliasWatch,
  type LookUpAlias,
  type MlflowSettings,
  pollMlflowAliases,
  type SeenAlias,
} from "../services/poll-mlflow-aliases.js";
import type { ServiceContext } from "../services/service-context.js";
import { type Loop, startLoop } from "./start-loop.js";

export const DEFAULT_MLFLOW_POLL_INTERVAL_MS = 30_000;

/**
 * Polls MLflow's registry for moved aliases every `intervalMs` (serve --mlflow-tracking-uri
 * and --mlflow-watch), recording each move as a promotion: MLflow keeps no webhook
 * deliveries, so one lost while deployslo was down or unreachable is found here. A failed
 * round (MLflow unreachable) is logged and retried after a doubling pause.
 */
export function startMlflowAliasPoller(
  ctx: Parameters<typeof pollMlflowAliases>[0]["ctx"] & Pick<ServiceContext, "logger" | "clock">,
  options: {
    readonly watches: readonly AliasWatch[];
    readonly settings: MlflowSettings;
    readonly lookUp: LookUpAlias;
    readonly intervalMs: number;
  },
): Loop {
  const seen = new Map<string, SeenAlias>();
  return startLoop({
    clock: ctx.clock,
    timing: { intervalMs: options.intervalMs, maxBackoffMs: Math.max(options.intervalMs, 300_000) },
    async round(signal) {
      const recorded = await pollMlflowAliases({
        ctx,
        input: {
          watches: options.watches,
          settings: options.settings,
          seen,
          lookUp: options.lookUp,
          signal,
        },
      });
      if (recorded.length > 0) {
        ctx.logger.info({ attempts: recorded }, "MLflow alias moved: recorded the promotion");
      }
      return options.intervalMs;
    },
    onError(error, failures) {
      ctx.logger.warn(
        { error: error instanceof Error ? error.message : String(error), failures },
        "MLflow alias poll failed; retrying",
      );
    },
  });
}
