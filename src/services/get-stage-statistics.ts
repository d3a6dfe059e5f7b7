import { type StageStatistics, stageStatistics } from "../core/analysis/stage-statistics.js";
import { type ReadScope, visibleSlo } from "./read-scope.js";
import { MAX_SCANNED, scanAttempts } from "./scan-attempts.js";
import type { UseCaseCall } from "./service-context.js";

export interface StageStatisticsInput {
  /** Only the attempts this SLO selects (NOT_FOUND if the reader may not see it). */
  readonly slo: string | undefined;
  readonly model: string | undefined;
  readonly environment: string | undefined;
  readonly from: number;
  readonly to: number;
  readonly scope: ReadScope;
}

/**
 * Stage percentiles and tail attribution over the newest attempts in a scope that the reader
 * may see (at most MAX_SCANNED of them: `complete` says whether every attempt in the range was
 * included).
 */
export async function getStageStatistics({
  ctx,
  input: { slo, model, environment, from, to, scope },
}: UseCaseCall<"store" | "engine", StageStatisticsInput>): Promise<
  StageStatistics & { readonly complete: boolean; readonly limit: number }
> {
  const { attempts, complete } = await scanAttempts(
    ctx.store,
    {
      slo: slo === undefined ? undefined : visibleSlo(ctx.engine, slo, scope),
      model,
      environment,
      from,
      to,
      readable: scope,
    },
    MAX_SCANNED,
  );
  return { ...stageStatistics(attempts), complete, limit: MAX_SCANNED };
}
