import { type StageStatistics, stageStatistics } from "../core/analysis/stage-statistics.js";
import { type AttemptScope, MAX_SCANNED, scanAttempts } from "./scan-attempts.js";
import type { UseCaseCall } from "./service-context.js";

/**
 * Stage percentiles and tail attribution over the newest attempts in a scope (at most
 * MAX_SCANNED of them: `complete` says whether every attempt in the range was included).
 */
export async function getStageStatistics({
  ctx,
  input: scope,
}: UseCaseCall<"store", AttemptScope>): Promise<
  StageStatistics & { readonly complete: boolean; readonly limit: number }
> {
  const { attempts, complete } = await scanAttempts(ctx.store, scope, MAX_SCANNED);
  return { ...stageStatistics(attempts), complete, limit: MAX_SCANNED };
}
