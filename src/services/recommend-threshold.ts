import type { ThresholdRecommendationJson } from "../contract/threshold-recommendation-schema.js";
import { type SplitKey, splitKeysOf } from "../core/analysis/attempt-conditions.js";
import { selectorTerms } from "../core/analysis/selector-terms.js";
import { sloSnippet } from "../core/analysis/slo-snippet.js";
import { recommendThreshold } from "../core/analysis/threshold-recommendation.js";
import type { Decimal } from "../core/primitives/exact-ratio.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";
import { type InsightScope, type InsightSource, insightAttempts } from "./insight-attempts.js";
import type { UseCaseCall } from "./service-context.js";

export interface RecommendInput {
  readonly source: InsightSource;
  readonly scope: InsightScope;
  readonly target: Decimal;
  readonly thresholdMs?: number | undefined;
  /** Splits to report; default: environment, model, start and every label. */
  readonly splits?: readonly SplitKey[] | undefined;
  /** Name of the SLO in the snippet. */
  readonly name: string;
  /** Window of the SLO in the snippet (e.g. 30d). */
  readonly window: string;
}

/** `deployslo recommend` and GET /api/v1/insight/recommendation. */
export async function recommendThresholdFromHistory({
  ctx,
  input,
}: UseCaseCall<"clock", RecommendInput>): Promise<ThresholdRecommendationJson> {
  const { attempts, complete } = await insightAttempts(input.source, input.scope);
  const result = recommendThreshold({
    attempts,
    target: input.target,
    thresholdMs: input.thresholdMs,
    splits: input.splits ?? splitKeysOf(attempts),
    at: input.scope.to ?? ctx.clock.now(),
  });
  return {
    selector: selectorTerms(input.scope.selector),
    from: input.scope.from === undefined ? null : formatTimestamp(input.scope.from),
    to: input.scope.to === undefined ? null : formatTimestamp(input.scope.to),
    complete,
    ...result,
    dependencies: [...result.dependencies],
    splits: result.splits.map((s) => ({ key: s.key, groups: [...s.groups] })),
    snippet:
      result.thresholdSeconds === null
        ? null
        : sloSnippet({
            name: input.name,
            selector: input.scope.selector,
            thresholdMs: result.thresholdSeconds * 1000,
            target: input.target,
            window: input.window,
          }),
  };
}
