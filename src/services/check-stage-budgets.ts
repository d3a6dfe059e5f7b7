import type { StageBudgetsJson } from "../contract/stage-budgets-schema.js";
import { selectorTerms } from "../core/analysis/selector-terms.js";
import { stageBudgetOverruns } from "../core/analysis/stage-budget-overruns.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";
import type { Slo } from "../core/spec/slo.js";
import { windowBounds } from "../core/spec/window-bounds.js";
import { type InsightScope, type InsightSource, insightAttempts } from "./insight-attempts.js";
import type { UseCaseCall } from "./service-context.js";

export interface StageBudgetsInput {
  readonly source: InsightSource;
  /** Without `from`: the attempts started in the SLO's window as of `to` (or now). */
  readonly scope: InsightScope;
  /** The SLO whose `spec.stageBudgets` and threshold are checked; without budgets, no stages. */
  readonly slo: Slo;
}

/** `deployslo budgets` and GET /api/v1/insight/budgets. */
export async function checkStageBudgets({
  ctx,
  input,
}: UseCaseCall<"clock", StageBudgetsInput>): Promise<StageBudgetsJson> {
  const budgets = input.slo.stageBudgets ?? [];
  const at = input.scope.to ?? ctx.clock.now();
  const scope = {
    ...input.scope,
    from: input.scope.from ?? windowBounds(input.slo.window, at).start,
  };
  const { attempts, complete } = await insightAttempts(input.source, scope);
  const result = stageBudgetOverruns({
    attempts,
    budgets,
    thresholdMs: input.slo.objective.thresholdMs,
    at,
  });
  return {
    slo: input.slo.name,
    selector: selectorTerms(scope.selector),
    from: formatTimestamp(scope.from),
    to: formatTimestamp(at),
    complete,
    ...result,
    stages: [...result.stages],
    criticalPath:
      result.criticalPath === null
        ? null
        : { ...result.criticalPath, stages: [...result.criticalPath.stages] },
  };
}
